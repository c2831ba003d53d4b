"""The demo city's 12345 (issue 17). The 12345 centre is 市政数局 (city-data-bureau, 0999-12345): its
话务员 ``hotline_agent`` and 派单员 ``hotline_dispatcher``; 承办人员 in 锦江区 and 青山区 市场监管局 and in
市城管局 and 市住建局. Routing rules for every category in each district; recent orders in every
state (new, accepted, dispatched, returned, in handling, replied, closed, followed up, rated, merged,
overdue + 督办, extension pending, a 部门信箱 and a 市长信箱 letter); 1,200 closed orders from the
labelled corpus (demo.hotline_corpus) as history; and the classifier trained from them.

Idempotent: rules already there stay, the recent orders are created once (a fixed key on the first),
the history once (keys hist-NNNN), and the classifier is trained only when it has no model."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.utils import timezone

from tongban.accounts.selectors import user_id_by_username
from tongban.demo.hotline_corpus import labelled_orders
from tongban.hotline import classifier, selectors, services
from tongban.hotline.categories import CATEGORY_CODES
from tongban.organizations.selectors import department_by_name, region_by_code

CITIZEN = "13800000001"  # 张三
DISTRICTS = {"jinjiang": "990102000000", "qingshan": "990103000000", "yunxi": "990121000000"}

# category → lead department per district (department names; one name: every district).
CITY = {
    "urban_management": "云州市城市管理和综合执法局",
    "environment": "云州市生态环境局",
    "housing": "云州市住房和城乡建设局",
    "utilities": "云州市城市管理和综合执法局",
    "transport": "云州市交通运输局",
    "health": "云州市卫生健康委员会",
    "agriculture": "云州市自然资源和规划局",
    "government_service": "云州市政务服务和数据管理局",
    "other": "云州市人民政府办公室",
}
PER_DISTRICT = {
    "market": {
        "jinjiang": "云州市锦江区市场监督管理局",
        "qingshan": "云州市青山区市场监督管理局",
        "yunxi": "云州市市场监督管理局",
    },
    "civil_affairs": {
        "jinjiang": "云州市锦江区民政局",
        "qingshan": "云州市青山区民政局",
        "yunxi": "云溪县民政局",
    },
    "labour": {
        "jinjiang": "云州市锦江区人力资源和社会保障局",
        "qingshan": "云州市人力资源和社会保障局",
        "yunxi": "云州市人力资源和社会保障局",
    },
    "education": {"jinjiang": "云州市锦江区教育局", "qingshan": "云州市教育局", "yunxi": "云州市教育局"},
    "public_security": {
        "jinjiang": "云州市公安局锦江分局",
        "qingshan": "云州市公安局",
        "yunxi": "云州市公安局",
    },
}

REPLIES = {
    "satisfied": "经核查，您反映的问题属实，我单位已安排人员现场处理，问题已解决。感谢您的监督。",
    "basically": "经核查，已督促相关责任方整改，后续将持续跟踪。如仍有问题请再次来电。",
    "dissatisfied": "经核查，您反映的情况涉及历史遗留问题，我单位已协调相关部门研究解决方案。",
}


def _lead(category: str, district: str) -> str:
    return PER_DISTRICT[category][district] if category in PER_DISTRICT else CITY[category]


def load_routing_rules() -> int:
    services.ensure_builtin_categories_and_limits()
    created = 0
    for category in CATEGORY_CODES:
        for district, code in DISTRICTS.items():
            region = region_by_code(code)
            department = department_by_name(_lead(category, district))
            if region is None or department is None:
                continue
            created += services.ensure_routing_rule(
                category_code=category, region_id=region.id, lead_department_id=department.id
            )
    return created


def _district_of(region_code: str) -> str:
    for district, code in DISTRICTS.items():
        if region_code[:6] == code[:6]:
            return district
    return "jinjiang"


def load_history(count: int = 1200) -> int:
    """The labelled corpus as closed orders of the past year (most rated, some published)."""
    rng = random.Random(17)  # noqa: S311 - demo data, not security
    now = timezone.now()
    regions: dict[str, int | None] = {}
    departments: dict[str, int] = {}
    rows = []
    for i, o in enumerate(labelled_orders(count=count)):
        if o.region_code not in regions:
            ref = region_by_code(o.region_code)
            regions[o.region_code] = ref.id if ref else None
        name = _lead(o.category_code, _district_of(o.region_code))
        if name not in departments:
            ref_d = department_by_name(name)
            if ref_d is None:
                continue
            departments[name] = ref_d.id
        satisfaction = rng.choices(["satisfied", "basically", "dissatisfied", ""], weights=[60, 20, 8, 12])[0]
        rows.append(
            services.ClosedOrder(
                key=f"hist-{i:04d}",
                text=o.text,
                category_code=o.category_code,
                order_type=o.order_type,
                region_id=regions[o.region_code],
                address=o.address,
                lead_department_id=departments[name],
                created_at=(now - dt.timedelta(days=60 + rng.randrange(300))).replace(
                    hour=rng.randrange(8, 20), minute=rng.randrange(60), second=0, microsecond=0
                ),
                reply=REPLIES.get(satisfaction or "basically", REPLIES["basically"]),
                satisfaction=satisfaction,
                publish_consent=rng.random() < 0.3,
                requester_name=rng.choice("张王李赵刘陈杨黄周吴") + rng.choice(["先生", "女士"]),
            )
        )
    return services.import_closed_orders(rows)


@dataclass(frozen=True)
class DemoOrder:
    reach: str  # the state it is brought to
    order_type: str
    title: str
    content: str
    district: str
    address: str
    category: str
    days_ago: int = 1
    channel: str = "portal"  # portal, phone, mayor, department


ORDERS = (
    DemoOrder(
        "submitted",
        "complaint",
        "小区门口夜市噪音扰民",
        "锦江区东湖路幸福里小区门口每晚有夜市摊贩经营到凌晨，音响声音很大，老人孩子无法休息，请有关部门管一管。",
        "jinjiang",
        "东湖路幸福里小区",
        "urban_management",
        0,
    ),
    DemoOrder(
        "accepted",
        "help",
        "老旧小区楼道灯长期不亮",
        "青山区桃源路12号院3栋楼道灯坏了两个月，物业一直不修，老人上下楼很不安全。",
        "qingshan",
        "桃源路12号院",
        "housing",
        0,
        "phone",
    ),
    DemoOrder(
        "dispatched",
        "complaint",
        "超市销售过期食品",
        "锦江区南门街的便民超市货架上有过期两周的面包和酸奶，店员说不知道，要求查处。",
        "jinjiang",
        "南门街18号",
        "market",
        1,
    ),
    DemoOrder(
        "returned",
        "report",
        "无证经营的黑诊所",
        "青山区桃源街道菜市场旁边有一家没有挂牌的诊所在给人输液，怀疑无证行医。",
        "jinjiang",
        "桃源街道菜市场旁",
        "health",
        2,
    ),
    DemoOrder(
        "handling",
        "complaint",
        "商家拒绝七天无理由退货",
        "我在青山区万达广场一家服装店买的外套，七天内去退货商家拒绝，说特价商品不退。",
        "qingshan",
        "青山大道200号万达广场",
        "market",
        2,
    ),
    DemoOrder(
        "replied",
        "complaint",
        "人行道被占用摆摊",
        "锦江区滨江路人行道被水果摊占用，行人只能走机动车道，非常危险。",
        "jinjiang",
        "滨江路16号附近",
        "urban_management",
        3,
    ),
    DemoOrder(
        "closed",
        "consult",
        "餐饮店办理食品经营许可",
        "想在锦江区开一家小餐馆，请问食品经营许可需要准备哪些材料，多长时间能办好？",
        "jinjiang",
        "",
        "market",
        6,
    ),
    DemoOrder(
        "followed_up",
        "help",
        "小区二次供水水质发黄",
        "青山区桃源路58号小区的自来水这几天发黄，有铁锈味，请尽快处理。",
        "qingshan",
        "桃源路58号",
        "utilities",
        8,
    ),
    DemoOrder(
        "rated",
        "complaint",
        "餐馆后厨卫生差",
        "锦江区东湖路35号的一家快餐店后厨老鼠乱窜，我的电话13800000001，希望严肃处理。",
        "jinjiang",
        "东湖路35号",
        "market",
        10,
    ),
    DemoOrder(
        "merged",
        "complaint",
        "服装店特价商品不给退",
        "青山区万达广场服装店不给退特价外套，说特价不退，这合理吗？",
        "qingshan",
        "青山大道200号万达广场",
        "market",
        1,
    ),
    DemoOrder(
        "overdue",
        "complaint",
        "工地夜间施工噪音",
        "锦江区东湖街道幸福路的工地每天晚上十一点后还在施工，打桩声音很大。",
        "jinjiang",
        "幸福路工地",
        "urban_management",
        16,
    ),
    DemoOrder(
        "extension",
        "report",
        "餐饮店油烟直排",
        "青山区桃源路一家烧烤店油烟没有净化直接排放，楼上住户窗户都是油。",
        "qingshan",
        "桃源路88号",
        "market",
        4,
    ),
    DemoOrder(
        "department",
        "suggestion",
        "建议增设电动车充电桩",
        "我们小区有两百多辆电动车，只有十个充电桩，建议市住建局推动增设。",
        "jinjiang",
        "锦江区幸福里小区",
        "housing",
        1,
        "department",
    ),
    DemoOrder(
        "mayor",
        "suggestion",
        "建议延长政务服务中心周末开放时间",
        "上班族工作日没时间办事，建议市政务服务中心周六全天开放。",
        "jinjiang",
        "",
        "government_service",
        0,
        "mayor",
    ),
)

FIRST_KEY = "demo-hotline-00"


def _at(days_ago: int, hour: int = 10) -> dt.datetime:
    return (timezone.now() - dt.timedelta(days=days_ago)).replace(
        hour=hour, minute=0, second=0, microsecond=0
    )


def load_orders() -> int:
    """The recent orders, each brought to its state through the services."""
    users = {
        name: user_id_by_username(name)
        for name in (
            CITIZEN,
            "hotline_agent",
            "hotline_dispatcher",
            "hotline_jinjiang",
            "hotline_qingshan",
            "hotline_urban",
            "hotline_housing",
        )
    }
    if None in users.values() or selectors.order_id_by_key(FIRST_KEY) is not None:
        return 0
    citizen, agent, dispatcher = (
        int(users[k] or 0) for k in (CITIZEN, "hotline_agent", "hotline_dispatcher")
    )
    handlers = {
        "云州市锦江区市场监督管理局": users["hotline_jinjiang"],
        "云州市青山区市场监督管理局": users["hotline_qingshan"],
        "云州市城市管理和综合执法局": users["hotline_urban"],
        "云州市住房和城乡建设局": users["hotline_housing"],
        "云州市卫生健康委员会": None,
    }
    ids: dict[str, int] = {}
    for n, o in enumerate(ORDERS):
        region = region_by_code(DISTRICTS[o.district])
        start = _at(o.days_ago, 9)
        fields = services.OrderFields(
            order_type=o.order_type,
            title=o.title,
            content=o.content,
            region_id=region.id if region else None,
            address=o.address,
            name="张三",
            phone=CITIZEN,
            publish_consent=o.reach == "rated",
        )
        lead_name = _lead(o.category, o.district)
        lead = department_by_name(lead_name)
        assert lead is not None
        if o.channel == "phone":
            order_id = services.enter_call(agent_id=agent, fields=fields, now=start)
        else:
            order_id = services.submit_order(
                requester_id=citizen,
                fields=fields,
                idempotency_key=f"demo-hotline-{n:02d}",
                mailbox_department_id=lead.id if o.channel == "department" else None,
                mayor_mailbox=o.channel == "mayor",
                now=start,
            )
        ids[o.reach] = order_id
        if o.reach in ("submitted", "mayor", "department"):
            continue
        services.accept(order_id=order_id, user_id=dispatcher, now=start + dt.timedelta(minutes=20))
        if o.reach == "accepted":
            continue
        category_id = selectors.category_id(o.category)
        if o.reach == "merged":
            services.merge(
                order_id=order_id,
                master_id=ids["handling"],
                user_id=dispatcher,
                now=start + dt.timedelta(minutes=30),
            )
            continue
        services.dispatch(
            order_id=order_id,
            user_id=dispatcher,
            choice=services.DispatchChoice(category_id=category_id, lead_department_id=lead.id),
            now=start + dt.timedelta(minutes=40),
        )
        handler = handlers.get(lead_name)
        if o.reach == "returned":
            # 卫健委 has no demo handler: the order went to 锦江区市场监管局 by mistake and came back.
            continue
        if o.reach == "dispatched" or handler is None:
            continue
        services.sign(order_id=order_id, user_id=handler, now=start + dt.timedelta(hours=2))
        if o.reach in ("handling", "overdue"):
            continue
        if o.reach == "extension":
            services.request_extension(
                order_id=order_id, user_id=handler, days=5, reason="需要环保部门协助检测油烟排放浓度"
            )
            continue
        services.reply(
            order_id=order_id,
            user_id=handler,
            now=start + dt.timedelta(days=1),
            text="经现场核查，您反映的问题属实，已责令当事人立即整改并依法处理，后续将加强巡查。",
        )
        if o.reach == "replied":
            continue
        services.review(
            order_id=order_id, user_id=dispatcher, approve=True, now=start + dt.timedelta(days=1, hours=3)
        )
        if o.reach == "closed":
            continue
        if o.reach == "followed_up":
            services.follow_up(
                order_id=order_id,
                user_id=dispatcher,
                result="电话回访，诉求人表示水质已恢复",
                now=start + dt.timedelta(days=2),
            )
            continue
        services.rate(
            order_id=order_id,
            requester_id=citizen,
            satisfaction="satisfied",
            publish_consent=True,
            now=start + dt.timedelta(days=2),
        )
    # 退单: the order sent to 锦江区市场监管局 (the wrong department) comes back.
    returned = ids["returned"]
    jinjiang = department_by_name("云州市锦江区市场监督管理局")
    assert jinjiang is not None
    services.redispatch(
        order_id=returned,
        user_id=dispatcher,
        choice=services.DispatchChoice(
            category_id=selectors.category_id("market"), lead_department_id=jinjiang.id, note="涉及无证经营"
        ),
        now=_at(2, 11),
    )
    services.return_order(
        order_id=returned,
        user_id=int(users["hotline_jinjiang"] or 0),
        reason="无证行医属卫健部门职责，不属本局",
        now=_at(2, 14),
    )
    services.supervise_overdue()
    return len(ORDERS)


def load_hotline() -> dict[str, int]:
    report = {"rules": load_routing_rules(), "orders": load_orders(), "history": load_history()}
    if classifier.suggest("超市卖过期食品") is None:
        classifier.train(selectors.training_examples())
    return report
