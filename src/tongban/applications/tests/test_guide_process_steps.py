"""A guide's 办理流程 lists the steps of the process the item's applications actually run: the shipped
default, a bound joint approval with its lanes' departments, or a newly uploaded version."""

import re

import pytest
from django.urls import reverse

from tongban.applications.models import ProcessBinding
from tongban.catalog.types import ProcessStepData
from tongban.organizations.tests.factories import DepartmentFactory
from tongban.workflow.services import upload_definition
from tongban.workflow.tests.helpers import standard_with


def guide_steps(client, item) -> list[str]:
    """The lines of the guide's 办理流程, tags removed."""
    page = client.get(reverse("catalog:guide", args=[item.implementation_code])).content.decode()
    steps = page[page.index('<h2 id="process">') :]
    steps = steps[steps.index('<ol class="steps">') : steps.index("</ol>")]
    return [re.sub(r"<[^>]+>|\s+", "", li) for li in re.findall(r"<li>(.*?)</li>", steps, flags=re.S)]


@pytest.fixture
def item(department, publish_item):
    # The catalog names two steps the way GB/T 39554 guides do (审核, 审批) and one the process lacks.
    steps = (
        ProcessStepData(name="受理", office="综合窗口", limit=1),
        ProcessStepData(name="审核", office="行政审批科", limit=2, review_standard="材料齐全、符合法定形式"),
        ProcessStepData(name="审批", office="行政审批科", handler_role="分管领导", limit=1),
        ProcessStepData(name="现场核查", office="执法大队", limit=3),
        ProcessStepData(name="办结", limit=0),
        ProcessStepData(name="送达", office="综合窗口"),
    )
    return publish_item(department, steps=steps)


def test_the_guide_lists_the_steps_of_the_shipped_process_with_the_items_descriptions(client, item):
    assert guide_steps(client, item) == [
        "受理（综合窗口）：1个工作日",
        "审查（行政审批科）：2个工作日审查标准：材料齐全、符合法定形式",
        "决定（行政审批科，分管领导）：1个工作日",
        "办结",
        "送达（综合窗口）",
    ]


def test_a_joint_approval_lists_each_lane_with_its_department(client, item, department):
    tax = DepartmentFactory(name="国家税务总局云州市税务局", short_name="市税务局")
    police = DepartmentFactory(name="云州市公安局", short_name="市公安局")
    ProcessBinding.objects.create(
        item_id=item.item_id,
        definition_key="joint_startup",
        lane_departments={"税务": tax.pk, "社保": tax.pk, "公章刻制": police.pk},
    )
    assert guide_steps(client, item) == [
        "受理（综合窗口）：1个工作日",
        "市场监管登记：3个工作日并联审批",
        "税务登记（国家税务总局云州市税务局）：3个工作日并联审批",
        "社保登记（国家税务总局云州市税务局）：3个工作日并联审批",
        "公章刻制备案（云州市公安局）：3个工作日并联审批",
        "办结（准予）",
        "办结（不予）",
        "送达（综合窗口）",
    ]


def test_a_new_version_of_the_process_changes_the_guide(client, item):
    upload_definition(
        key="standard", data=standard_with('name="审查"', 'name="实质审查"'), uploaded_by_id=None
    )
    assert guide_steps(client, item)[1] == "实质审查"
    assert "审查（行政审批科）：2个工作日审查标准：材料齐全、符合法定形式" not in guide_steps(client, item)
