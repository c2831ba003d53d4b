"""Issue 3's journey in a real browser: a citizen registers, finds 居住证办理, fills the form, uploads a
PDF and a photo, submits and sees the receipt; a clerk sees the ID number masked and reveals it with a
reason, then returns the application for correction of the address and the ID card copy; the citizen
replaces the named material, corrects the named field and sends the 补正, and the status shows it."""

import io
import re
from types import SimpleNamespace

import pyotp
import pytest
from conftest import PASSWORD, make_staff
from django.core.cache import cache
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations
from tongban.applications.tests.factories import pdf_bytes
from tongban.core.sms.backends import locmem
from tongban.demo.loader import load_demo_city
from tongban.organizations.selectors import department_by_name

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

RESIDENT_ID = "110101199003074514"
PHONE = "13800138000"
APPLICANT_PASSWORD = "Lotus-river-2026-q"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 80), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def city(transactional_db, settings, clamd):
    settings.TONGBAN_SMS_BACKEND = "tongban.core.sms.backends.locmem.LocmemBackend"
    cache.clear()
    locmem.outbox.clear()
    load_demo_city(with_accounts=False)
    return department_by_name("锦江区东湖街道便民服务中心")


def test_apply_correct_and_resubmit(page, live_server, city, tmp_path):
    url = live_server.url
    page.set_viewport_size({"width": 390, "height": 900})

    # Register as a citizen, with the SMS code.
    page.goto(url + "/account/register/citizen/")
    page.get_by_label("姓名", exact=True).fill("张三")
    page.get_by_label("身份证号码").fill(RESIDENT_ID)
    page.get_by_label("手机号码").fill(PHONE)
    page.get_by_role("button", name="获取验证码").click()
    code = re.search(r"\d{6}", locmem.outbox[-1].text)[0]
    page.get_by_label("短信验证码").fill(code)
    page.get_by_label("设置密码").fill(APPLICANT_PASSWORD)
    page.get_by_role("button", name="注册", exact=True).last.click()

    page.get_by_label("手机号码").fill(PHONE)
    page.get_by_label("密码").fill(APPLICANT_PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()

    # Find the service and apply.
    page.goto(url + "/search/?q=居住证")
    page.get_by_role("link", name="居住证办理").click()
    page.get_by_role("button", name="开始办理").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("填写申请表")
    expect(page.get_by_label("申请人姓名")).to_have_value("张三")  # prefilled
    assert axe_violations(page) == []
    page.get_by_label("身份证号码").fill(RESIDENT_ID)
    page.get_by_label("现居住地址").fill("云州市锦江区东湖路35号")
    page.get_by_label("申请事由").fill("在本市居住满半年，申领居住证")
    page.get_by_role("button", name="继续").click()

    pdf = tmp_path / "身份证.pdf"
    pdf.write_bytes(pdf_bytes())
    photo = tmp_path / "相片.png"
    photo.write_bytes(png_bytes())
    page.get_by_label("居民身份证").set_input_files(pdf)
    page.get_by_role("button", name=re.compile(r"^上传\s*居民身份证$")).click()
    page.get_by_label("数码相片回执").set_input_files(photo)
    page.get_by_role("button", name=re.compile(r"^上传\s*数码相片回执$")).click()
    assert axe_violations(page) == []
    page.get_by_role("link", name="继续").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("核对信息")
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("提交成功")
    number = page.locator(".receipt-number").inner_text()
    assert number.startswith("YZ")
    assert axe_violations(page) == []

    # A clerk of the handling department binds an authenticator at the first login, then returns it for
    # correction.
    clerk = make_staff("donghu_clerk", SimpleNamespace(pk=city.id), role="clerk")
    staff = page.context.browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    staff_page = staff.new_page()
    staff_page.goto(url + "/staff/login/?next=/staff/tasks/")
    staff_page.get_by_label("用户名").fill(clerk.username)
    staff_page.get_by_label("密码").fill(PASSWORD)
    staff_page.get_by_role("button", name="继续").click()
    expect(staff_page.get_by_role("heading", level=1)).to_have_text("绑定身份验证器")
    assert axe_violations(staff_page) == []
    secret = staff_page.locator(".totp-secret").inner_text().replace(" ", "")
    staff_page.get_by_label("验证码").fill(pyotp.TOTP(secret).now())
    staff_page.get_by_role("button", name="绑定并登录").click()
    staff_page.get_by_role("link", name=number).click()

    # The answers under their labels, the ID number masked; the full number takes a reason and is audited.
    expect(staff_page.locator("dt", has_text="现居住地址").first).to_be_visible()
    expect(staff_page.locator("dd", has_text="1101**********4514")).to_be_visible()
    staff_page.get_by_role("link", name=re.compile(r"^查看完整号码")).click()
    expect(staff_page.get_by_role("heading", level=1)).to_have_text("查看完整号码")
    staff_page.get_by_role("button", name="查看完整号码").click()
    expect(staff_page.locator(".error-summary")).to_contain_text("请输入查看理由")
    assert axe_violations(staff_page) == []
    staff_page.get_by_label("查看理由").fill("核对申请人身份")
    staff_page.get_by_role("button", name="查看完整号码").click()
    expect(staff_page.get_by_text(RESIDENT_ID, exact=True)).to_be_visible()
    assert axe_violations(staff_page) == []
    staff_page.get_by_role("link", name="返回办件").click()

    # 补正: the address and a clearer copy of the ID card, both picked by their names.
    staff_page.locator("summary", has_text="退回补正").click()
    staff_page.get_by_label("补正说明").fill("现居住地址请写到门牌号和房间号，身份证请上传清晰的扫描件")
    staff_page.get_by_label("现居住地址", exact=True).check()
    staff_page.get_by_label("居民身份证", exact=True).check()
    staff_page.get_by_role("button", name="退回补正").click()
    expect(staff_page.get_by_role("status")).to_contain_text("已退回补正")

    # The citizen answers it: nothing can be sent before the named material is replaced and the named
    # field looked at.
    page.goto(url + "/my/applications/")
    page.get_by_role("link", name="补正材料").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("补正材料")
    expect(page.get_by_text("已完成 0 项，共 2 项")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="提交补正材料").click()
    expect(page.locator(".error-summary")).to_contain_text("请修改或确认“现居住地址”")
    expect(page.locator(".error-summary")).to_contain_text("请上传新的“居民身份证”")
    assert axe_violations(page) == []
    clearer = tmp_path / "身份证（清晰）.pdf"
    clearer.write_bytes(pdf_bytes("clear scan"))
    page.get_by_label("居民身份证").set_input_files(clearer)
    page.get_by_role("button", name=re.compile(r"^上传新文件\s*居民身份证$")).click()
    expect(page.get_by_text("已完成 1 项，共 2 项")).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^修改或确认\s*现居住地址$")).click()
    assert axe_violations(page) == []
    page.get_by_label("现居住地址").fill("云州市锦江区东湖路35号2栋301室")
    page.get_by_role("button", name="保存并返回").click()
    expect(page.get_by_text("已完成 2 项，共 2 项")).to_be_visible()
    page.get_by_role("button", name="提交补正材料").click()
    expect(page.get_by_text("补正材料已提交，请等待审核。")).to_be_visible()
    expect(page.locator(".summary-list .tag")).to_have_text("待预审")

    # The clerk sees the 补正 and its resolution in 办理过程.
    staff_page.goto(url + "/staff/tasks/")
    staff_page.get_by_role("link", name=number).click()
    expect(staff_page.get_by_text("填报项：现居住地址")).to_be_visible()
    expect(staff_page.get_by_text("云州市锦江区东湖路35号2栋301室")).to_be_visible()
    expect(staff_page.get_by_text("待申请人补正")).to_have_count(0)
    staff.close()
