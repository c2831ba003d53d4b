"""Each legal answer type, the sealed 告知书, and redaction of released files."""

import pytest

from tongban.disclosure_requests import redaction, services
from tongban.disclosure_requests.errors import RequestError, RequestStateError
from tongban.disclosure_requests.models import DisclosureRequest, RedactionRule, ReleaseFile, Status
from tongban.disclosure_requests.tests.helpers import ID_NUMBER, PHONE, SAMPLE_LINES, apply, text_pdf
from tongban.documents.sealing import verify_pdf_seal
from tongban.tracking.tests.pdf import pdf_text


def handling(s, **kwargs) -> int:
    request_id = apply(s, **kwargs)
    services.accept(request_id=request_id, user_id=s.handler.id)
    return request_id


def upload(s, request_id, *, terms="", lines=SAMPLE_LINES) -> ReleaseFile:
    file_id = services.add_file(
        request_id=request_id, user_id=s.handler.id, name="抽检结果.pdf", data=text_pdf(lines), terms=terms
    )
    return ReleaseFile.objects.get(pk=file_id)


def read(field) -> bytes:
    with field.open("rb") as f:
        return f.read()


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (
            services.Answer("already_public", url="https://www.example.gov.cn/xxgk/1.html"),
            "https://www.example.gov.cn/xxgk/1.html",
        ),
        (
            services.Answer("refused", refusal_ground="state_secret", text="该信息已依法定密。"),
            "属于国家秘密",
        ),
        (services.Answer("not_exist", text="本机关未制作该信息。"), "该政府信息不存在"),
        (
            services.Answer("not_held", holder_name="云州市统计局", holder_contact="0871-1234567"),
            "云州市统计局",
        ),
        (services.Answer("repeated", text="已于3月答复。"), "重复申请"),
    ],
)
def test_each_answer_type_becomes_a_sealed_notice_with_its_wording(s, answer, expected):
    request_id = handling(s)
    services.draft_answer(request_id=request_id, user_id=s.handler.id, answer=answer)
    services.sign_answer(request_id=request_id, user_id=s.approver.id)
    request = DisclosureRequest.objects.get(pk=request_id)
    assert (request.status, request.answer_type) == (Status.ANSWERED, answer.answer_type)
    pdf = read(request.answer_pdf)
    check = verify_pdf_seal(pdf)
    assert (check.valid, check.signer) == (True, "云州市市场监督管理局")
    assert expected in pdf_text(pdf)


def test_granted_and_partial_need_confirmed_files_and_partial_a_ground(s):
    request_id = handling(s)
    with pytest.raises(RequestError) as caught:
        services.draft_answer(request_id=request_id, user_id=s.handler.id, answer=services.Answer("partial"))
    assert [f for f, _m in caught.value.problems] == ["refusal_ground", "files"]
    file = upload(s, request_id)
    with pytest.raises(RequestError, match="确认每份文件"):
        services.draft_answer(request_id=request_id, user_id=s.handler.id, answer=services.Answer("granted"))
    assert DisclosureRequest.objects.get(pk=request_id).status == Status.HANDLING
    services.confirm_file(request_id=request_id, file_id=file.pk, user_id=s.handler.id)
    services.draft_answer(
        request_id=request_id,
        user_id=s.handler.id,
        answer=services.Answer("partial", refusal_ground="third_party"),
    )
    services.sign_answer(request_id=request_id, user_id=s.approver.id)
    text = pdf_text(read(DisclosureRequest.objects.get(pk=request_id).answer_pdf))
    assert "区分处理后予以公开" in text
    assert "抽检结果（公开版）.pdf" in text


def test_the_redacted_pdf_has_no_id_number_or_phone_and_the_summary_counts_them(s):
    request_id = handling(s)
    file = upload(s, request_id)
    text = pdf_text(read(file.redacted))
    assert ID_NUMBER not in text
    assert PHONE not in text
    assert "[已删除]" in text
    assert "抽检合格率98.5%" in text
    assert [(row["rule"], row["count"]) for row in file.summary] == [("身份证号码", 1), ("手机号码", 1)]
    assert ID_NUMBER in pdf_text(read(file.original))  # the original is kept for the department only


def test_handler_terms_and_a_custom_rule_are_applied(s):
    services.save_rule(
        user_id=s.approver.id,
        rule_id=None,
        fields=services.RuleFields("合格率", "regex", r"合格率[0-9.]+%", "[数据已删除]", True),
    )
    request_id = handling(s)
    file = upload(s, request_id, terms="李四")
    text = pdf_text(read(file.redacted))
    assert "李四" not in text
    assert "合格率98.5%" not in text
    assert "[数据已删除]" in text
    assert {row["rule"]: row["count"] for row in file.summary} == {
        "身份证号码": 1,
        "手机号码": 1,
        "合格率": 1,
        "承办人指定的词语": 1,
    }


@pytest.mark.parametrize(
    ("pattern", "message"),
    [("(a+)+", "嵌套"), ("[", "有误"), ("a" * 201, "200"), ("x*", "空文本")],
)
def test_unsafe_custom_rules_are_refused_and_nothing_is_saved(s, pattern, message):
    before = RedactionRule.objects.count()
    with pytest.raises(RequestError) as caught:
        services.save_rule(
            user_id=s.approver.id,
            rule_id=None,
            fields=services.RuleFields("坏规则", "regex", pattern, "[已删除]", True),
        )
    assert message in caught.value.details[0]
    assert RedactionRule.objects.count() == before


def test_only_an_approver_edits_rules(s):
    with pytest.raises(RequestError):
        services.save_rule(
            user_id=s.handler.id,
            rule_id=None,
            fields=services.RuleFields("x", "terms", "张三", "[已删除]", True),
        )
    assert not RedactionRule.objects.filter(name="x").exists()


def test_redact_keeps_earlier_rules_on_overlap():
    rules = [
        redaction.RuleSpec("身份证号码", "resident_id"),
        redaction.RuleSpec("数字", "regex", "[0-9]{6}", "#"),
    ]
    result = redaction.redact(f"号码{ID_NUMBER}和123456", rules)
    assert result.text == "号码[已删除]和#"


def test_the_handler_of_another_department_cannot_act(s):
    request_id = handling(s)
    with pytest.raises(RequestError):
        services.start_pause(request_id=request_id, user_id=s.outsider.id, kind="correction", reason="x")
    assert DisclosureRequest.objects.get(pk=request_id).status == Status.HANDLING


def test_signing_twice_changes_nothing_and_a_draft_is_needed_first(s):
    request_id = handling(s)
    with pytest.raises(RequestStateError):
        services.sign_answer(request_id=request_id, user_id=s.approver.id)
    services.draft_answer(
        request_id=request_id, user_id=s.handler.id, answer=services.Answer("not_exist", text="未制作")
    )
    services.sign_answer(request_id=request_id, user_id=s.approver.id)
    digest = DisclosureRequest.objects.get(pk=request_id).answer_sha256
    services.sign_answer(request_id=request_id, user_id=s.approver.id)
    assert DisclosureRequest.objects.get(pk=request_id).answer_sha256 == digest
