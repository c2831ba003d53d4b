"""A starting 同义词/口语词 table (issue 19): the issue's examples and what the dev split of
bench/data/search_queries.json missed (never its held-out split). Words only: a synonym naming
items is the catalog staff's, once the items are published. Staff grow the table from the
zero-result queries on the workbench."""

from django.db import migrations

SEED = [
    # term, kind, expansions
    ("开饭店", "colloquial", ["食品经营许可", "个体工商户"]),
    ("餐馆", "colloquial", ["食品经营许可", "个体工商户"]),
    ("营业执照", "abbreviation", ["设立登记"]),
    ("公租房", "abbreviation", ["公共租赁住房"]),
    ("廉租房", "synonym", ["公共租赁住房"]),
    ("保障房", "synonym", ["公共租赁住房"]),
    ("失业金", "abbreviation", ["失业保险金"]),
    ("失业了", "colloquial", ["失业保险金", "失业登记"]),
    ("裁员", "colloquial", ["失业保险金", "失业登记"]),
    ("社保卡丢了", "colloquial", ["社会保障卡挂失"]),
    ("社保卡", "abbreviation", ["社会保障卡"]),
    ("社保", "abbreviation", ["社会保险"]),
    ("医保", "abbreviation", ["医疗保险"]),
    ("丢了", "colloquial", ["补领", "挂失", "补办"]),
    ("补办", "synonym", ["补领"]),
    ("离婚", "colloquial", ["离婚登记"]),
    ("结婚", "colloquial", ["结婚登记"]),
    ("婚姻登记", "synonym", ["结婚登记"]),
    ("买房", "colloquial", ["购房"]),
    ("养老金", "synonym", ["退休待遇", "基本养老金"]),
    ("退休", "colloquial", ["退休待遇申领"]),
    ("驾照", "abbreviation", ["机动车驾驶证"]),
    ("到期", "colloquial", ["有效期满"]),
    ("车子", "colloquial", ["机动车"]),
    ("年检", "colloquial", ["检验合格标志", "年度报告", "年度审验"]),
    ("年审", "colloquial", ["检验合格标志", "年度审验"]),
    ("小升初", "colloquial", ["初中学位"]),
    ("不开了", "colloquial", ["注销"]),
    ("网约车", "abbreviation", ["网络预约出租汽车"]),
    ("理发店", "colloquial", ["公共场所卫生许可", "个体工商户"]),
    ("宾馆", "colloquial", ["公共场所卫生许可", "消防安全检查"]),
    ("看病", "colloquial", ["医疗费用", "就医"]),
    ("报销", "synonym", ["零星报销"]),
    ("受伤", "colloquial", ["工伤认定"]),
    ("广告牌", "colloquial", ["户外广告设施"]),
    ("改名字", "colloquial", ["变更登记"]),
    ("教师证", "abbreviation", ["教师资格"]),
    ("二胎", "colloquial", ["生育登记"]),
    ("迁进来", "colloquial", ["户口迁入"]),
    ("马路", "colloquial", ["城市道路"]),
    ("挖开", "colloquial", ["挖掘"]),
    ("换了工作", "colloquial", ["关系转移接续"]),
    ("换工作", "colloquial", ["关系转移接续"]),
    ("没工作", "colloquial", ["失业", "灵活就业"]),
    ("排污证", "abbreviation", ["排污许可证"]),
    ("外经证", "abbreviation", ["跨区域涉税事项报告"]),
    ("sc证", "abbreviation", ["食品生产许可"]),
    ("消防审图", "abbreviation", ["消防设计审查"]),
    ("工规证", "abbreviation", ["建设工程规划许可证"]),
    ("个体户", "abbreviation", ["个体工商户营业执照"]),
    ("护士证", "abbreviation", ["护士执业注册"]),
    ("出生证", "abbreviation", ["出生医学证明"]),
    ("工商注册", "synonym", ["设立登记"]),
    ("开发票", "colloquial", ["发票领用"]),
    ("渣土", "colloquial", ["建筑垃圾"]),
    ("环保审批", "synonym", ["环境影响报告书审批"]),
]


def seed(apps, schema_editor):
    SearchSynonym = apps.get_model("catalog", "SearchSynonym")
    for term, kind, expansions in SEED:
        SearchSynonym.objects.get_or_create(term=term, defaults={"kind": kind, "expansions": expansions})


class Migration(migrations.Migration):
    dependencies = [("catalog", "0008_search_synonyms_zero_results_pinyin")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
