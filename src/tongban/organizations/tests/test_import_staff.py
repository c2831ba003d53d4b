"""``manage.py import_staff``: bulk onboarding from a CSV file, all or nothing, line-numbered errors,
harmless to run again, audited as the operator's."""

import io

import pytest
from conftest import PASSWORD, make_staff
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from tongban.accounts.services import ensure_user
from tongban.core.models import AuditEvent
from tongban.organizations.models import StaffAssignment

User = get_user_model()
HEADER = "username,full_name,phone,department,roles\n"


@pytest.fixture
def operator(department):
    return make_staff("hr_admin", department, role="department_admin")


def run(tmp_path, text, operator="hr_admin", encoding="utf-8"):
    path = tmp_path / "staff.csv"
    path.write_bytes(text.encode(encoding))
    out, err = io.StringIO(), io.StringIO()
    call_command("import_staff", str(path), operator=operator, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def roles():
    return sorted(
        StaffAssignment.objects.exclude(role="department_admin").values_list(
            "user__username", "department__short_name", "role"
        )
    )


def test_a_file_creates_accounts_with_their_roles_and_prints_each_password_once(
    tmp_path, operator, department
):
    out, err = run(
        tmp_path,
        HEADER
        + f"wang.fang,王芳,13900001111,{department.uscc},受理人员;审核人员\n"
        + f"li.na,李娜,,{department.short_name},clerk\n",
    )
    assert roles() == [
        ("li.na", "锦江区市场监管局", "clerk"),
        ("wang.fang", "锦江区市场监管局", "clerk"),
        ("wang.fang", "锦江区市场监管局", "reviewer"),
    ]
    lines = out.splitlines()
    assert lines[0] == "username,password"
    printed = dict(line.split(",") for line in lines[1:])
    assert sorted(printed) == ["li.na", "wang.fang"]
    assert User.objects.get(username="wang.fang").check_password(printed["wang.fang"])
    assert User.objects.get(username="wang.fang").phone == "13900001111"
    assert err.startswith("已新建 2 个账户，为已有账户授予 0 个岗位，0 行无需变更。")
    events = list(AuditEvent.objects.values_list("event", "actor_id", "department_id", "reason", "ip"))
    assert sorted(events) == sorted(
        [
            ("account.created", operator.id, department.pk, "", None),
            ("account.created", operator.id, department.pk, "", None),
            ("role.granted", operator.id, department.pk, "clerk", None),
            ("role.granted", operator.id, department.pk, "reviewer", None),
            ("role.granted", operator.id, department.pk, "clerk", None),
        ]
    )


def test_running_the_file_again_only_adds_missing_roles(tmp_path, operator, department):
    run(tmp_path, HEADER + f"wang.fang,王芳,,{department.name},受理人员\n")
    password_hash = User.objects.get(username="wang.fang").password
    out, err = run(
        tmp_path,
        HEADER
        + f"wang.fang,王芳,,{department.name},受理人员；审批人员\nli.na,李娜,,{department.name},受理人员\n",
    )
    assert roles() == [
        ("li.na", "锦江区市场监管局", "clerk"),
        ("wang.fang", "锦江区市场监管局", "approver"),
        ("wang.fang", "锦江区市场监管局", "clerk"),
    ]
    assert User.objects.get(username="wang.fang").password == password_hash  # not reset
    assert [line.split(",")[0] for line in out.splitlines()] == ["username", "li.na"]
    assert err.startswith("已新建 1 个账户，为已有账户授予 1 个岗位，0 行无需变更。")
    _out, err = run(tmp_path, HEADER + f"wang.fang,王芳,,{department.name},受理人员\n")
    assert err == "已新建 0 个账户，为已有账户授予 0 个岗位，1 行无需变更。\n"
    assert User.objects.filter(username="wang.fang").count() == 1


def test_one_wrong_line_refuses_the_whole_file_with_every_problem_by_line(
    tmp_path, operator, department, other_department
):
    ensure_user(username="13800000001", full_name="张三", kind="citizen", password=PASSWORD)
    text = (
        HEADER
        + f"wang.fang,王芳,,{department.name},受理人员\n"
        + f"Li.na,,12345,{department.name},受理人员\n"
        + "\n"
        + f"zhao.min,赵敏,,{other_department.name},受理人员\n"
        + "qian.jin,钱进,,没有这个部门,办事员\n"
        + f"wang.fang,王芳,,{department.name},审核人员\n"
        + f"sun.li,孙丽,,{department.name},全市电子监察\n"
        + f"hr_admin,钱进,,{department.name},受理人员\n"
    )
    with pytest.raises(CommandError) as refused:
        run(tmp_path, text)
    assert str(refused.value).splitlines() == [
        "未导入任何人员：",
        "第3行：用户名须以小写字母开头，只能包含小写字母、数字、下划线、点和连字符",
        "第3行：请输入姓名",
        "第3行：手机号码应为以1开头的11位数字",
        f"第5行：部门“{other_department.name}”不在您管理的范围内",
        "第6行：没有找到部门“没有这个部门”，请填写部门的统一社会信用代码、全称或简称",
        "第6行：没有岗位“办事员”，可填写：事项管理员、受理人员、审核人员、审批人员、监察人员、部门管理员、全市电子监察、全市系统管理员、安全管理员、审计管理员、部门负责人、文书人员、核稿人员、签发领导、印章管理员、档案管理员、会议室管理员、督查人员、信息员、信息编辑、通知发布员、依申请公开承办、依申请公开审核签发、征集发布、留言审核、12345话务员、12345派单员、12345承办人员、信息公开编辑、保密审查员、公开审核领导、政务公开管理员、区县系统管理员",
        "第7行：用户名“wang.fang”与第2行重复",
        "第8行：“全市电子监察”只能由安全管理员在人员页面授予",
        "第9行：您不能修改自己的岗位",
    ]
    assert not User.objects.filter(username="wang.fang").exists()
    assert roles() == []
    assert not AuditEvent.objects.exists()


def test_a_user_name_of_a_citizen_or_of_another_department_s_staff_is_refused(
    tmp_path, operator, department, other_department
):
    ensure_user(username="zhang.san", full_name="张三", kind="citizen", password=PASSWORD)
    make_staff("stranger", other_department, role="clerk")
    with pytest.raises(CommandError) as refused:
        run(
            tmp_path,
            HEADER
            + f"zhang.san,张三,,{department.name},受理人员\nstranger,某人,,{department.name},受理人员\n",
        )
    assert str(refused.value).splitlines()[1:] == [
        "第2行：用户名“zhang.san”已被非工作人员的账户使用，请换一个",
        "第3行：用户名“stranger”已被其他部门的工作人员使用，请换一个",
    ]
    assert roles() == [("stranger", other_department.short_name, "clerk")]


def test_a_spreadsheet_saved_by_chinese_excel_is_read(tmp_path, operator, department):
    run(
        tmp_path,
        "用户名,姓名,手机号码,部门,岗位\r\n" + f"wang.fang,王芳,,{department.name},受理人员\r\n",
        encoding="gb18030",
    )
    assert roles() == [("wang.fang", "锦江区市场监管局", "clerk")]
    assert User.objects.get(username="wang.fang").full_name == "王芳"


def test_a_file_without_the_needed_columns_or_people_is_refused(tmp_path, operator):
    with pytest.raises(CommandError, match="第1行：缺少列 full_name（姓名）、roles（岗位）"):
        run(tmp_path, "username,department\nwang.fang,x\n")
    with pytest.raises(CommandError, match="未导入任何人员：\n文件中没有人员"):
        run(tmp_path, HEADER)


def test_the_operator_must_be_an_administrator_in_office(tmp_path, operator, department):
    make_staff("clerk", department, role="clerk")
    line = HEADER + f"wang.fang,王芳,,{department.name},受理人员\n"
    for name in ("clerk", "nobody"):
        with pytest.raises(CommandError, match=f"操作人 {name} 不是在用的部门管理员或全市系统管理员"):
            run(tmp_path, line, operator=name)
    User.objects.filter(pk=operator.id).update(is_active=False)
    with pytest.raises(CommandError, match="操作人 hr_admin 不是在用的部门管理员或全市系统管理员"):
        run(tmp_path, line)
    assert not User.objects.filter(username="wang.fang").exists()


def test_a_city_admin_imports_into_any_department_but_grants_no_city_wide_role(
    tmp_path, department, other_department
):
    make_staff("city", department, role="city_admin")
    run(tmp_path, HEADER + f"lin.fang,林芳,,{other_department.name},受理人员\n", operator="city")
    assert roles() == [
        ("city", "锦江区市场监管局", "city_admin"),
        ("lin.fang", other_department.short_name, "clerk"),
    ]
    # 三权分立: city-wide and administrator roles are the 安全管理员's to grant, on the staff page.
    with pytest.raises(CommandError, match="只能由安全管理员在人员页面授予"):
        run(tmp_path, HEADER + f"zhou.yu,周宇,,{other_department.name},全市电子监察\n", operator="city")
