"""The demo city's base registries, resource catalog, exchange clients and grants (issue 5).

Synthetic people and enterprises, generated from a fixed seed so every load gives the same city;
the demo citizen and the demo enterprise are among them, so their forms prefill and their
我的数据使用记录 fills up as departments query them.
"""

from __future__ import annotations

import datetime as dt
import random

from tongban.core.identifiers import make_uscc, resident_id_check_char
from tongban.organizations.types import DepartmentRef
from tongban.registries import services as registry_services
from tongban.registries.types import CreditRecordData, LegalPersonData, PersonData
from tongban.sharing import services as sharing_services
from tongban.sharing.types import ClientCredentials, ItemData, ResourceData

# 云州 is fictional and its region tree uses the unassigned province code 99, but a resident ID must
# start with a province of GB/T 2260 (core.identifiers): the demo residents' IDs carry the city's own
# digits under 53, so 539902 is 锦江区.
DEMO_CITIZEN_ID = "539902198805120027"  # 张三, the demo citizen 13800000001
DEMO_ENTERPRISE_USCC = make_uscc(registry="9", kind="1", region_code="990102", organization_body="MA0QH001")

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "秀英",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "霞",
    "平",
]
LICENSE_ITEMS = (ItemData("licenses", "证照清单", "列表"), ItemData("files", "证照版式文件", "文件"))
STREETS = ["滨江路", "市民大道", "桃源路", "南门街", "东湖路", "河西大街", "城关路", "青山路"]
DISTRICTS = {"539902": "云州市锦江区", "539903": "云州市青山区", "539921": "云州市云溪县"}  # ID address codes
ETHNICITIES = ["汉族"] * 8 + ["回族", "苗族"]
TRADES = [
    ("餐饮管理", "餐饮服务；餐饮管理；食品销售"),
    ("科技", "软件开发；信息技术咨询服务"),
    ("建筑工程", "房屋建筑工程施工；市政公用工程施工"),
    ("商贸", "日用百货销售；五金产品零售"),
    ("物流", "普通货物道路运输；仓储服务"),
    ("文化传媒", "广告设计、代理；组织文化艺术交流活动"),
]
PERSON_ITEMS = (
    ItemData("full_name", "姓名"),
    ItemData("resident_id_masked", "身份证号码（脱敏）"),
    ItemData("gender", "性别"),
    ItemData("birth_date", "出生日期", "日期型"),
    ItemData("ethnicity", "民族"),
    ItemData("household_address", "户籍地址"),
)
ENTERPRISE_ITEMS = (
    ItemData("name", "名称"),
    ItemData("uscc", "统一社会信用代码"),
    ItemData("entity_type", "类型"),
    ItemData("legal_representative", "法定代表人"),
    ItemData("registered_capital", "注册资本"),
    ItemData("established_on", "成立日期", "日期型"),
    ItemData("address", "住所"),
    ItemData("business_scope", "经营范围"),
    ItemData("status", "登记状态"),
)
GRANT_FROM, GRANT_UNTIL = dt.date(2026, 1, 1), dt.date(2027, 12, 31)


def _resident_id(region: str, birth: dt.date, serial: int) -> str:
    first17 = f"{region}{birth:%Y%m%d}{serial:03d}"
    return first17 + resident_id_check_char(first17)


def load_registries(*, persons: int = 60, enterprises: int = 15) -> None:
    rng = random.Random(20261123)  # noqa: S311 - synthetic demo data, not security
    registry_services.upsert_person(
        PersonData(
            DEMO_CITIZEN_ID, "张三", "male", dt.date(1988, 5, 12), "汉族", "云州市锦江区滨江路18号3栋201室"
        )
    )
    for n in range(persons):
        region = rng.choice(list(DISTRICTS))
        birth = dt.date(rng.randint(1950, 2005), rng.randint(1, 12), rng.randint(1, 28))
        gender = rng.choice(["male", "female"])
        serial = rng.randint(0, 99) * 10 + (1 if gender == "male" else 2) + 100 * 0
        registry_services.upsert_person(
            PersonData(
                _resident_id(region, birth, serial % 1000),
                rng.choice(SURNAMES) + rng.choice(GIVEN),
                gender,
                birth,
                rng.choice(ETHNICITIES),
                f"{DISTRICTS[region]}{rng.choice(STREETS)}{rng.randint(1, 300)}号",
                marital_status=rng.choice(["未婚", "已婚", "已婚", "离婚"]) if birth.year < 2000 else "未婚",
            )
        )
        if n % 15 == 7:
            registry_services.ensure_credit_record(
                resident_id=_resident_id(region, birth, serial % 1000),
                data=CreditRecordData(
                    "black",
                    "拒不履行生效法律文书确定义务（失信被执行人）",
                    "云州市锦江区人民法院",
                    dt.date(2026, rng.randint(1, 10), 15),
                    f"（2026）云0102执{1000 + n}号",
                    valid_until=dt.date(2029, 12, 31),
                ),
            )
    registry_services.upsert_legal_person(
        LegalPersonData(
            DEMO_ENTERPRISE_USCC,
            "云州市青禾餐饮管理有限公司",
            "有限责任公司（自然人投资或控股）",
            "张三",
            "100万元人民币",
            dt.date(2019, 4, 18),
            "云州市锦江区南门街66号1层",
            "餐饮服务；餐饮管理；食品销售（仅销售预包装食品）",
        )
    )
    registry_services.ensure_credit_record(
        uscc=DEMO_ENTERPRISE_USCC,
        data=CreditRecordData(
            "red", "A级纳税人", "国家税务总局云州市税务局", dt.date(2026, 4, 20), "云税信〔2026〕12号"
        ),
    )
    for n in range(enterprises):
        trade, scope = TRADES[n % len(TRADES)]
        uscc = make_uscc(
            registry="9", kind="1", region_code="990102", organization_body=f"MA0QH{n + 100:03d}"
        )
        registry_services.upsert_legal_person(
            LegalPersonData(
                uscc,
                f"云州市{rng.choice(['锦程', '青山', '东湖', '云溪', '南门', '桃源', '河西'])}{trade}有限公司",
                "有限责任公司（自然人投资或控股）",
                rng.choice(SURNAMES) + rng.choice(GIVEN),
                f"{rng.choice([50, 100, 200, 500, 1000])}万元人民币",
                dt.date(rng.randint(2005, 2025), rng.randint(1, 12), rng.randint(1, 28)),
                f"云州市锦江区{rng.choice(STREETS)}{rng.randint(1, 300)}号",
                scope,
            )
        )
        if n % 5 == 3:
            registry_services.ensure_credit_record(
                uscc=uscc,
                data=CreditRecordData(
                    "penalty",
                    "未按规定公示年度报告",
                    "云州市锦江区市场监督管理局",
                    dt.date(2026, 6, rng.randint(1, 28)),
                    f"云锦市监处罚〔2026〕{40 + n}号",
                    valid_until=dt.date(2027, 6, 30),
                ),
            )


def load_catalog(departments: dict[str, DepartmentRef]) -> None:
    def resource(code: str, name: str, department: str, **fields) -> None:
        sharing_services.upsert_resource(
            ResourceData(code=code, name=name, department_id=departments[department].id, **fields)
        )

    resource(
        "person.basic",
        "人口基本信息",
        "city-ps-household",
        classification="基础信息资源/人口",
        summary="本市户籍人口的姓名、性别、出生日期、民族和户籍地址。",
        subject_kind="person",
        provider="registries.person",
        sharing_type="conditional",
        sharing_condition="仅用于依法履职中需要核验身份或户籍的政务服务事项，按申请的信息项和期限使用。",
        items=PERSON_ITEMS,
        related_resources="person.credit",
    )
    resource(
        "person.credit",
        "自然人信用信息",
        "city-data-bureau",
        classification="基础信息资源/信用",
        summary="失信被执行人等黑名单、守信激励红名单和行政处罚信息。",
        subject_kind="person",
        provider="registries.person_credit",
        sharing_type="open",
        items=(ItemData("full_name", "姓名"), ItemData("credit_records", "信用记录", "列表")),
        update_cycle="每日",
    )
    resource(
        "enterprise.basic",
        "法人基本信息",
        "city-market",
        classification="基础信息资源/法人",
        summary="市场主体登记信息：名称、类型、法定代表人、注册资本、成立日期、住所、经营范围和状态。",
        subject_kind="enterprise",
        provider="registries.legal_person",
        sharing_type="open",
        items=ENTERPRISE_ITEMS,
        related_resources="enterprise.credit",
    )
    resource(
        "enterprise.credit",
        "法人信用信息",
        "city-data-bureau",
        classification="基础信息资源/信用",
        summary="企业红黑名单和行政处罚信息。",
        subject_kind="enterprise",
        provider="registries.legal_person_credit",
        sharing_type="open",
        items=(ItemData("name", "名称"), ItemData("credit_records", "信用记录", "列表")),
        update_cycle="每日",
    )
    for kind, subject in (("person", "自然人"), ("enterprise", "法人")):
        resource(
            f"{kind}.licenses",
            f"{subject}电子证照",
            "city-data-bureau",
            classification="基础信息资源/电子证照",
            summary=f"本平台签发的{subject}有效电子证照及其版式文件（免提交、跨部门核验）。",
            subject_kind=kind,
            provider=f"licenses.{kind}",
            sharing_type="conditional",
            sharing_condition="用于办理政务服务事项时以电子证照代替纸质材料，或依法核验证照。",
            items=LICENSE_ITEMS,
        )
    resource(
        "person.medical",
        "个人诊疗记录",
        "city-health",
        classification="主题信息资源/卫生健康",
        summary="医疗机构的门诊和住院诊疗记录。",
        subject_kind="person",
        provider="registries.person",
        sharing_type="not_shared",
        not_shared_basis="《中华人民共和国基本医疗卫生与健康促进法》第九十二条：个人健康信息不得非法提供。",
        items=(ItemData("full_name", "姓名"),),
    )
    resource(
        "enterprise.tax_detail",
        "企业涉税明细",
        "city-tax",
        classification="主题信息资源/税务",
        summary="纳税人申报和缴纳明细。",
        subject_kind="enterprise",
        provider="registries.legal_person",
        sharing_type="not_shared",
        not_shared_basis="《中华人民共和国税收征收管理法》第八条：税务机关应当依法为纳税人、扣缴义务人的情况保守秘密。",
        items=(ItemData("name", "名称"),),
    )


def load_clients_and_grants(departments: dict[str, DepartmentRef]) -> list[tuple[str, ClientCredentials]]:
    """One client per department system; returns the credentials (secrets rotated on each load)."""
    systems = [
        ("云州市政务服务平台（一表填报）", "city-data-bureau", True),
        ("锦江区民政局婚姻登记系统", "jinjiang-civil-affairs", False),
        ("市市场监管局企业登记系统", "city-market", False),
        ("市税务局征管系统", "city-tax", False),
    ]
    credentials = [
        (
            name,
            sharing_services.ensure_client(
                name=name, department_id=departments[key].id, is_platform=platform
            ),
        )
        for name, key, platform in systems
    ]
    sharing_services.grant_access(
        resource_code="person.basic",
        department_id=departments["city-data-bureau"].id,
        purpose=sharing_services.PREFILL_PURPOSE,
        item_keys=["full_name", "household_address"],
        valid_from=GRANT_FROM,
        valid_until=GRANT_UNTIL,
    )
    sharing_services.grant_access(
        resource_code="person.basic",
        department_id=departments["jinjiang-civil-affairs"].id,
        purpose="婚姻登记",
        item_keys=["full_name", "gender", "birth_date", "household_address"],
        valid_from=GRANT_FROM,
        valid_until=GRANT_UNTIL,
    )
    for resource_code in ("person.licenses", "enterprise.licenses"):
        sharing_services.grant_access(
            resource_code=resource_code,
            department_id=departments["city-data-bureau"].id,
            purpose=sharing_services.LICENSE_EXEMPTION_PURPOSE,
            item_keys=["licenses", "files"],
            valid_from=GRANT_FROM,
            valid_until=GRANT_UNTIL,
        )
    if not sharing_services.has_pending_request(
        resource_code="person.basic",
        department_id=departments["city-tax"].id,
        purpose="个人所得税专项附加扣除核验",
    ):
        sharing_services.request_access(
            resource_code="person.basic",
            department_id=departments["city-tax"].id,
            purpose="个人所得税专项附加扣除核验",
            item_keys=["full_name", "birth_date"],
            valid_from=dt.date(2027, 1, 1),
            valid_until=dt.date(2027, 12, 31),
            actor_id=None,
        )
    return credentials


def load_sharing(departments: dict[str, DepartmentRef]) -> list[tuple[str, ClientCredentials]]:
    load_registries()
    load_catalog(departments)
    return load_clients_and_grants(departments)
