"""The 12345 roles (hotline.roles), a copy of the built-in 诉求分类 (hotline.categories; a city adds its
own on the staff page) and the STANDARDS §5 time limits for every order type (editable)."""

from django.db import migrations

ROLES = (
    ("hotline_agent", "12345话务员", "接听12345热线来电并录入诉求工单"),
    ("hotline_dispatcher", "12345派单员", "工单受理、派单、改派、并单、延期审批、督办、办结审核和回访"),
    ("hotline_handler", "12345承办人员", "本单位工单的签收、退单、办理、回复和申请延期"),
)

# A copy, not an import: a migration must not change when the module does.
CATEGORIES = (
    ("urban_management", "城市管理", "占道经营、违章搭建、市容环境、垃圾清运、户外广告、绿化"),
    ("environment", "生态环境", "噪声扰民、油烟、废气、污水排放、扬尘"),
    ("housing", "住房建设", "物业服务、房屋质量、维修资金、老旧小区改造、建筑施工"),
    ("utilities", "水电气暖", "停水、停电、燃气、供暖、管网抢修"),
    ("transport", "交通出行", "公交线路、出租车、网约车、道路设施、停车"),
    ("market", "市场监管", "食品安全、消费纠纷、价格、虚假宣传、无照经营"),
    ("labour", "劳动社保", "欠薪、劳动合同、社保缴费、就业创业、工伤"),
    ("education", "教育", "入学、学位、校外培训、学校收费、校园安全"),
    ("health", "卫生健康", "医疗服务、医保报销、疫苗接种、医疗纠纷"),
    ("public_security", "公安户政", "户籍、身份证、治安（非紧急）、交通违法、出入境"),
    ("civil_affairs", "民政养老", "低保、养老服务、残疾人帮扶、婚姻登记、殡葬"),
    ("agriculture", "农业农村", "农业补贴、土地承包、农村道路、宅基地"),
    ("government_service", "政务服务", "办事难、窗口服务态度、网上办事、证明材料"),
    ("other", "其他", "以上各类以外的诉求"),
)

ORDER_TYPES = ("consult", "help", "complaint", "report", "suggestion", "praise")
LIMITS = {"urgent": (2, "hours"), "utility": (24, "hours"), "general": (7, "working_days"), "complex": (15, "working_days")}


def seed(apps, schema_editor):
    Role = apps.get_model("organizations", "Role")
    for code, name, description in ROLES:
        Role.objects.update_or_create(
            code=code, defaults={"name": name, "description": description, "is_builtin": True, "is_active": True}
        )
    Category = apps.get_model("hotline", "Category")
    for position, (code, name, scope) in enumerate(CATEGORIES):
        Category.objects.update_or_create(
            code=code, defaults={"name": name, "scope": scope, "is_builtin": True, "position": position}
        )
    TimeLimit = apps.get_model("hotline", "TimeLimit")
    for order_type in ORDER_TYPES:
        for urgency, (amount, unit) in LIMITS.items():
            TimeLimit.objects.get_or_create(
                order_type=order_type, urgency=urgency, defaults={"amount": amount, "unit": unit}
            )


def unseed(apps, schema_editor):
    apps.get_model("organizations", "Role").objects.filter(code__in=[code for code, _, _ in ROLES]).delete()


class Migration(migrations.Migration):
    dependencies = [("hotline", "0001_work_orders"), ("organizations", "0005_seed_builtin_roles")]

    operations = [migrations.RunPython(seed, unseed)]
