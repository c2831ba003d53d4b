"""The demo city's 意见征集 and 在线访谈 (issue 17), by the 市住建局 (``housing_consult_publisher``) with
the 市政府办公室's 留言审核 (``office_consult_moderator``):

- 《云州市物业管理条例（征求意见稿）》, open (7 chapters): comments of three demo citizens on several
  chapters, two answered, one with a phone number approved and shown masked, one held for moderation;
- 《云州市住宅专项维修资金管理办法（征求意见稿）》, closed, with its 采纳情况 published;
- an interview next week with questions sent (one held), and one two weeks ago with answers and its
  访谈实录.

Idempotent: fixed idempotency keys; a step already done (published, approved, marked) is skipped."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tongban.accounts.selectors import user_id_by_username
from tongban.consultations import selectors
from tongban.consultations.services import comments, consultations, interviews
from tongban.consultations.types import ConsultationDraft, InterviewDraft
from tongban.organizations.selectors import department_by_name

HOUSING = "云州市住房和城乡建设局"
PUBLISHER = "housing_consult_publisher"
MODERATOR = "office_consult_moderator"
ZHANG, LI, CHEN = "13800000001", "13800000031", "13800000032"

PROPERTY_SECTIONS = (
    (
        "第一章 总则",
        "第一条 为了规范物业管理活动，维护业主和物业服务人的合法权益，营造安全、舒适、文明、和谐的居住环境，根据《中华人民共和国民法典》《物业管理条例》等法律、行政法规，结合本市实际，制定本条例。\n第二条 本条例适用于本市行政区域内的物业管理及其监督管理活动。",
    ),
    (
        "第二章 业主、业主大会和业主委员会",
        "第八条 一个物业管理区域成立一个业主大会。业主大会由物业管理区域内全体业主组成。\n第九条 物业管理区域内已交付业主的专有部分面积超过建筑物总面积百分之五十的，建设单位应当在三十日内向街道办事处书面报告，并提供业主名册等资料。",
    ),
    (
        "第三章 前期物业管理",
        "第十八条 建设单位应当在销售房屋前，通过招投标方式选聘前期物业服务人，签订前期物业服务合同。\n第十九条 前期物业服务合同期限届满前，业主大会可以决定续聘或者另行选聘物业服务人。",
    ),
    (
        "第四章 物业服务",
        "第二十五条 物业服务人应当在物业管理区域内显著位置公示物业服务内容、服务标准、收费项目、收费标准和投诉电话等信息。\n第二十六条 物业服务人应当每年向业主公布物业服务费的收支情况。",
    ),
    (
        "第五章 物业的使用和维护",
        "第三十五条 住宅专项维修资金属于业主所有，专项用于共用部位、共用设施设备保修期满后的维修、更新和改造。\n第三十六条 发生危及房屋使用安全的紧急情况，需要立即维修的，可以按照规定申请使用专项维修资金。",
    ),
    (
        "第六章 法律责任",
        "第四十五条 物业服务人未按规定公示服务信息的，由住房城乡建设主管部门责令限期改正；逾期不改正的，处一千元以上一万元以下罚款。",
    ),
    ("第七章 附则", "第五十条 本条例自2027年7月1日起施行。"),
)

# (key, author, section index or None, text, answer, approve)
PROPERTY_COMMENTS = (
    (
        "p1",
        ZHANG,
        1,
        "建议降低业主大会筹备的门槛，老旧小区很多业主长期不在家，很难凑齐过半数签名。",
        "感谢您的建议。我们将研究增加书面征求意见和电子投票方式，方便业主参与。",
        False,
    ),
    (
        "p2",
        LI,
        3,
        "物业服务费的收支情况应当每半年公示一次，并且公示明细，而不只是总数。",
        "您的意见很有价值，我们将在第二十六条中研究细化公示内容和频次。",
        False,
    ),
    ("p3", CHEN, 4, "电梯坏了申请维修资金要等好几个月，建议紧急情况下可以先行使用、事后公示。", "", False),
    ("p4", ZHANG, None, "条例整体很好，建议增加对物业服务企业的信用评价，评价结果向社会公开。", "", False),
    (
        "p5",
        CHEN,
        2,
        "我们小区前期物业合同到期两年了一直没有重新选聘，有情况可以打我电话13812345678联系。",
        "",
        True,
    ),
    ("p6", LI, 3, "小区物业经理简直就是狗官作风，投诉了也没人管。", "", False),  # held: a review word
)

FUND_SECTIONS = (
    (
        "第一章 总则",
        "第一条 为了加强住宅专项维修资金管理，保障住宅共用部位、共用设施设备的维修和正常使用，制定本办法。",
    ),
    ("第二章 交存", "第八条 商品住宅的业主应当按照所拥有物业的建筑面积交存首期住宅专项维修资金。"),
    (
        "第三章 使用",
        "第二十条 住宅专项维修资金的使用，应当经专有部分占建筑物总面积三分之二以上的业主且人数占比三分之二以上的业主参与表决。",
    ),
    (
        "第四章 监督管理",
        "第三十条 住宅专项维修资金管理机构应当每年至少一次向业主公布维修资金的交存、使用、增值收益和结存情况。",
    ),
)

# (key, author, section index or None, text, adoption, reason)
FUND_COMMENTS = (
    ("f1", ZHANG, 2, "建议引入电子投票，业主在手机上就能表决维修资金的使用。", "adopted", ""),
    (
        "f2",
        LI,
        3,
        "维修资金的结存情况应当每季度公布一次。",
        "partly",
        "每季度公布工作量较大，办法修改为每半年公布一次。",
    ),
    ("f3", CHEN, 1, "建议首期交存标准按房屋结构类型区分。", "adopted", ""),
    (
        "f4",
        CHEN,
        None,
        "建议取消维修资金制度，由物业公司直接负责维修。",
        "not_adopted",
        "住宅专项维修资金制度由国家规定设立，本办法不能取消。",
    ),
)


def _uid(username: str) -> int | None:
    found = user_id_by_username(username)
    return int(found) if found is not None else None


def _day(days: int, hour: int = 9) -> dt.datetime:
    local = timezone.localtime() + dt.timedelta(days=days)
    return local.replace(hour=hour, minute=0, second=0, microsecond=0)


def load_consultations() -> None:
    publisher, moderator = _uid(PUBLISHER), _uid(MODERATOR)
    housing = department_by_name(HOUSING)
    if publisher is None or moderator is None or housing is None:
        return
    _property(publisher, moderator, housing.id)
    _fund(publisher, housing.id)
    _interviews(publisher, moderator, housing.id)


def _consultation(
    publisher: int,
    department_id: int,
    key: str,
    title: str,
    summary: str,
    opens: dt.date,
    closes: dt.date,
    sections: tuple[tuple[str, str], ...],
    published_at: dt.datetime,
) -> int:
    consultation_id = consultations.create_consultation(
        actor_id=publisher,
        draft=ConsultationDraft(
            title=title, summary=summary, department_id=department_id, opens_on=opens, closes_on=closes
        ),
        idempotency_key=key,
    )
    if not selectors.sections_of(consultation_id):
        for heading, text in sections:
            consultations.add_section(
                actor_id=publisher, consultation_id=consultation_id, heading=heading, text=text
            )
    found = selectors.get_consultation_for_publisher(publisher, consultation_id)
    if found is not None and found.status == "draft":
        consultations.publish_consultation(
            actor_id=publisher, consultation_id=consultation_id, now=published_at
        )
    return consultation_id


def _property(publisher: int, moderator: int, department_id: int) -> None:
    consultation_id = _consultation(
        publisher,
        department_id,
        "demo-consultation-property",
        "《云州市物业管理条例（征求意见稿）》",
        "为规范物业管理活动，维护业主和物业服务人的合法权益，市住房和城乡建设局起草了《云州市物业管理条例（征求意见稿）》，现向社会公开征求意见。您可以对各章或整个征求意见稿留言。",
        _day(-10).date(),
        _day(20).date(),
        PROPERTY_SECTIONS,
        _day(-10),
    )
    sections = selectors.sections_of(consultation_id)
    for key, author, index, text, answer, approve in PROPERTY_COMMENTS:
        author_id = _uid(author)
        if author_id is None:
            continue
        comment_id = comments.submit_comment(
            author_id=author_id,
            consultation_id=consultation_id,
            section_id=sections[index].pk if index is not None else None,
            body=text,
            idempotency_key=f"demo-{key}",
        )
        if approve and selectors.comment_status(comment_id) == "held":
            comments.approve_comment(actor_id=moderator, comment_id=comment_id)
        if answer:
            comments.answer_comment(actor_id=publisher, comment_id=comment_id, answer=answer)


def _fund(publisher: int, department_id: int) -> None:
    opens = _day(-60)
    consultation_id = _consultation(
        publisher,
        department_id,
        "demo-consultation-fund",
        "《云州市住宅专项维修资金管理办法（征求意见稿）》",
        "为加强住宅专项维修资金管理，市住房和城乡建设局起草了本办法，现公开征求意见。",
        opens.date(),
        _day(-31).date(),
        FUND_SECTIONS,
        opens,
    )
    found = selectors.get_consultation_for_publisher(publisher, consultation_id)
    if found is None or found.status == "result_published":
        return
    sections = selectors.sections_of(consultation_id)
    for number, (key, author, index, text, _adoption, _reason) in enumerate(FUND_COMMENTS):
        author_id = _uid(author)
        if author_id is not None:
            comments.submit_comment(
                author_id=author_id,
                consultation_id=consultation_id,
                section_id=sections[index].pk if index is not None else None,
                body=text,
                idempotency_key=f"demo-{key}",
                now=opens + dt.timedelta(days=2 + number),
            )
    closed = _day(-25)
    marks = {c.body: c.pk for c in selectors.comments_for_publisher(consultation_id)}
    for _key, _author, _index, text, adoption, reason in FUND_COMMENTS:
        if text in marks:
            comments.record_adoption(
                actor_id=publisher, comment_id=marks[text], adoption=adoption, reason=reason, now=closed
            )
    consultations.publish_result(
        actor_id=publisher,
        consultation_id=consultation_id,
        summary="征集期间共收到意见4条，采纳2条，部分采纳1条，未采纳1条。主要修改：增加电子投票表决方式；维修资金结存情况改为每半年公布一次；首期交存标准按房屋结构类型区分。感谢社会各界的关心和支持。",
        now=closed,
    )


UPCOMING_QUESTIONS = (
    ("u1", ZHANG, "我们小区是2000年建成的，能列入明年的改造计划吗？怎么申请？"),
    ("u2", LI, "老旧小区加装电梯，政府有没有补贴？一楼住户不同意怎么办？"),
    ("u3", CHEN, "听说改造名单是内部资料不对外，能不能公开？"),  # held: a review word
)
PAST_QUESTIONS = (
    (
        "h1",
        ZHANG,
        "新市民申请保障性租赁住房需要什么条件？",
        "在本市就业、本人及配偶在本市无自有住房的新市民、青年人都可以申请，不设收入门槛。",
    ),
    ("h2", LI, "公租房轮候一般要多长时间？", "目前平均轮候时间约8个月，符合优先条件的家庭可以优先配租。"),
)


def _interview(
    publisher: int, department_id: int, key: str, draft: InterviewDraft, published_at: dt.datetime
) -> int:
    interview_id = interviews.create_interview(actor_id=publisher, draft=draft, idempotency_key=key)
    found = selectors.get_interview_for_publisher(publisher, interview_id)
    if found is not None and found.status == "draft":
        interviews.publish_interview(actor_id=publisher, interview_id=interview_id, now=published_at)
    return interview_id


def _interviews(publisher: int, moderator: int, department_id: int) -> None:
    starts = _day(7, hour=15)
    upcoming = _interview(
        publisher,
        department_id,
        "demo-interview-renewal",
        InterviewDraft(
            title="聚焦2027年老旧小区改造",
            guests="市住房和城乡建设局局长 李明；市住房和城乡建设局城市更新科科长 王芳",
            description="2027年全市计划改造老旧小区120个。访谈将介绍改造内容、申请程序和加装电梯政策，欢迎网友提前提问。",
            department_id=department_id,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=1),
        ),
        _day(-1),
    )
    for key, author, text in UPCOMING_QUESTIONS:
        author_id = _uid(author)
        if author_id is not None:
            comments.submit_question(
                author_id=author_id, interview_id=upcoming, body=text, idempotency_key=f"demo-{key}"
            )
    past_starts = _day(-14, hour=15)
    past = _interview(
        publisher,
        department_id,
        "demo-interview-housing",
        InterviewDraft(
            title="保障性住房申请政策解读",
            guests="市住房和城乡建设局副局长 赵倩",
            description="解读公租房、保障性租赁住房的申请条件和办理流程。",
            department_id=department_id,
            starts_at=past_starts,
            ends_at=past_starts + dt.timedelta(hours=1),
        ),
        past_starts - dt.timedelta(days=7),
    )
    for number, (key, author, text, answer) in enumerate(PAST_QUESTIONS):
        author_id = _uid(author)
        if author_id is None:
            continue
        question = comments.submit_question(
            author_id=author_id,
            interview_id=past,
            body=text,
            idempotency_key=f"demo-{key}",
            now=past_starts - dt.timedelta(days=3 - number),
        )
        comments.answer_comment(actor_id=publisher, comment_id=question, answer=answer)
    interviews.publish_transcript(
        actor_id=publisher,
        interview_id=past,
        transcript="主持人：各位网友大家好，欢迎收看本期在线访谈。\n赵倩：今年我市新筹集保障性租赁住房5000套，重点面向新市民、青年人……\n主持人：感谢赵局长的解读，本期访谈到此结束。",
        now=past_starts + dt.timedelta(hours=1),
    )
