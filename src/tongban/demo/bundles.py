"""The demo city's 一件事 (bundles) from the national 高效办成一件事 key list, built from the demo
catalogue's items: 开办餐饮店, 新生儿出生, 退休. Idempotent: a bundle whose code exists is left as it is."""

from __future__ import annotations

from dataclasses import dataclass

from tongban.bundles import selectors as bundle_selectors
from tongban.bundles import services as bundle_services
from tongban.catalog.selectors import published_item_by_name


@dataclass(frozen=True)
class DemoBundle:
    code: str
    name: str
    summary: str
    life_events: tuple[str, ...]
    items: tuple[str, ...]  # item names, in order
    questions: tuple[tuple[str, str, tuple[str, ...]], ...]  # (question, help, items it switches on)


BUNDLES = (
    DemoBundle(
        code="open-restaurant",
        name="开办餐饮店",
        summary="开饭店、开餐馆一次办：营业执照、食品经营许可，需要时一并办理户外招牌设置和消防安全检查。",
        life_events=("开饭店", "开餐馆", "开餐厅", "开饭馆", "开小吃店", "开面馆", "开奶茶店", "餐饮店"),
        items=(
            "个体工商户营业执照核发",
            "食品经营许可",
            "户外广告设施设置审批",
            "公众聚集场所投入使用、营业前消防安全检查",
        ),
        questions=(
            (
                "是否需要设置户外招牌？",
                "在店门外墙面、门头设置招牌或广告牌的，需办理户外广告设施设置审批。",
                ("户外广告设施设置审批",),
            ),
            (
                "营业场所是否属于公众聚集场所？",
                "营业面积较大、可同时容纳较多顾客就餐的餐饮场所，开业前需通过消防安全检查。",
                ("公众聚集场所投入使用、营业前消防安全检查",),
            ),
        ),
    ),
    DemoBundle(
        code="newborn",
        name="新生儿出生",
        summary="宝宝出生后一次办：出生医学证明、出生登记（落户）和社会保障卡。",
        life_events=("生孩子", "生小孩", "宝宝出生", "孩子出生", "新生儿", "给孩子上户口", "新生儿落户"),
        items=("出生医学证明首次签发", "出生登记", "社会保障卡申领"),
        questions=(),
    ),
    DemoBundle(
        code="retirement",
        name="退休",
        summary="到了退休年龄一次办：退休待遇申领，在外地参保过的一并转移养老、医疗保险关系。",
        life_events=("退休", "办退休", "退休手续", "领养老金", "退休了"),
        items=("基本养老保险关系转移接续", "基本医疗保险关系转移接续", "退休待遇申领"),
        questions=(
            ("是否在外地参加过职工养老保险？", "", ("基本养老保险关系转移接续",)),
            ("是否在外地参加过职工医疗保险？", "", ("基本医疗保险关系转移接续",)),
        ),
    ),
)


def load_bundles() -> int:
    """Create and publish the demo bundles not there yet; the number created."""
    existing = set(bundle_selectors.bundles_for_staff().values_list("code", flat=True))
    created = 0
    for spec in BUNDLES:
        items = [published_item_by_name(name) for name in spec.items]
        if spec.code in existing or any(item is None for item in items):
            continue
        bundle_id = bundle_services.save_bundle(
            actor_id=None,
            code=spec.code,
            name=spec.name,
            summary=spec.summary,
            life_events=list(spec.life_events),
        )
        entries = {
            item.name: bundle_services.add_bundle_item(
                actor_id=None, bundle_id=bundle_id, item_id=item.item_id, position=n
            )
            for n, item in enumerate(items)
            if item is not None
        }
        for n, (text, help_text, switches) in enumerate(spec.questions):
            bundle_services.add_bundle_question(
                actor_id=None,
                bundle_id=bundle_id,
                text=text,
                help_text=help_text,
                switches=[entries[name] for name in switches],
                position=n,
            )
        bundle_services.publish_bundle(actor_id=None, bundle_id=bundle_id)
        created += 1
    return created
