"""The 12345 work-order categories (诉求分类) every city starts with: the codes the classifier learns,
routing rules map and statistics group by. A city adds its own in the category table; these codes
never change meaning (training data and rules refer to them)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BuiltinCategory:
    code: str
    name: str
    scope: str  # what belongs here, as a dispatcher reads it


BUILTIN_CATEGORIES: tuple[BuiltinCategory, ...] = (
    BuiltinCategory("urban_management", "城市管理", "占道经营、违章搭建、市容环境、垃圾清运、户外广告、绿化"),
    BuiltinCategory("environment", "生态环境", "噪声扰民、油烟、废气、污水排放、扬尘"),
    BuiltinCategory("housing", "住房建设", "物业服务、房屋质量、维修资金、老旧小区改造、建筑施工"),
    BuiltinCategory("utilities", "水电气暖", "停水、停电、燃气、供暖、管网抢修"),
    BuiltinCategory("transport", "交通出行", "公交线路、出租车、网约车、道路设施、停车"),
    BuiltinCategory("market", "市场监管", "食品安全、消费纠纷、价格、虚假宣传、无照经营"),
    BuiltinCategory("labour", "劳动社保", "欠薪、劳动合同、社保缴费、就业创业、工伤"),
    BuiltinCategory("education", "教育", "入学、学位、校外培训、学校收费、校园安全"),
    BuiltinCategory("health", "卫生健康", "医疗服务、医保报销、疫苗接种、医疗纠纷"),
    BuiltinCategory("public_security", "公安户政", "户籍、身份证、治安（非紧急）、交通违法、出入境"),
    BuiltinCategory("civil_affairs", "民政养老", "低保、养老服务、残疾人帮扶、婚姻登记、殡葬"),
    BuiltinCategory("agriculture", "农业农村", "农业补贴、土地承包、农村道路、宅基地"),
    BuiltinCategory("government_service", "政务服务", "办事难、窗口服务态度、网上办事、证明材料"),
    BuiltinCategory("other", "其他", "以上各类以外的诉求"),
)

CATEGORY_CODES = tuple(c.code for c in BUILTIN_CATEGORIES)
