"""The demo city's 政务信息报送 (issue 16): the publication 《云州政务信息》 of 云州市人民政府办公室, with 信息
from 市市场监管局 and 市教育局 in every state — 待审核, 退修, 不采用, 采用 into an issue being compiled, and
采用 into a published issue (2026年第1期) that was also 被省采用 and circulated to both bureaus, one of
whose readers has read it.

Everything goes through the briefings services, the way the pages drive them. Idempotent: each 信息 has
a fixed idempotency key, and each step is taken only when the 信息 has not passed it."""

from __future__ import annotations

from tongban.accounts.selectors import user_id_by_username
from tongban.briefings import selectors
from tongban.briefings.services import issues, scoring, submissions
from tongban.organizations.selectors import department_by_name

OFFICE = "云州市人民政府办公室"
MARKET = "云州市市场监督管理局"
EDUCATION = "云州市教育局"
PUBLICATION = "云州政务信息"

# (key, reporter, unit, title, body, kind, what happens: submitted/returned/rejected/draft/published)
ITEMS = (
    (
        "demo-briefing-1",
        "market_info_reporter",
        MARKET,
        "市市场监管局推行“证照分离”改革 企业开办时间压缩至1个工作日",
        "今年以来，市市场监管局全面推行“证照分离”改革，企业开办实现“一窗受理、一网通办”。\n"
        "截至11月底，全市新设市场主体1.2万户，同比增长18%，企业开办平均用时压缩至1个工作日。",
        "practice",
        "published",
    ),
    (
        "demo-briefing-2",
        "education_info_reporter",
        EDUCATION,
        "市教育局多措并举推进课后服务全覆盖",
        "市教育局统筹校内外资源，全市义务教育学校课后服务实现全覆盖，参与学生达95%。",
        "news",
        "published",
    ),
    (
        "demo-briefing-3",
        "market_info_reporter",
        MARKET,
        "食品安全宣传周活动在全市启动",
        "12月1日，全市食品安全宣传周活动启动，各区同步开展宣传进社区、进校园活动。",
        "news",
        "draft",
    ),
    (
        "demo-briefing-4",
        "education_info_reporter",
        EDUCATION,
        "关于加强校园周边交通安全管理的建议",
        "部分学校上下学时段周边交通拥堵，建议公安、交通部门联合设置护学岗。",
        "problem",
        "submitted",
    ),
    (
        "demo-briefing-5",
        "market_info_reporter",
        MARKET,
        "市市场监管局开展冬季特种设备安全检查",
        "市市场监管局开展冬季特种设备安全检查。",
        "news",
        "returned",
    ),
    (
        "demo-briefing-6",
        "education_info_reporter",
        EDUCATION,
        "市教育局召开工作例会",
        "市教育局召开12月工作例会，部署近期工作。",
        "news",
        "rejected",
    ),
)


def load_briefings() -> None:
    office, market, education = (department_by_name(n) for n in (OFFICE, MARKET, EDUCATION))
    editor_id = user_id_by_username("office_info_editor")
    if None in (office, market, education, editor_id):
        return
    assert office is not None  # for the type checker
    assert market is not None
    assert education is not None
    assert editor_id is not None
    scoring.ensure_default_levels()
    publication_id = issues.create_publication(user_id=editor_id, department_id=office.id, name=PUBLICATION)
    units = {MARKET: market, EDUCATION: education}
    ids: dict[str, tuple[int, str]] = {}
    for key, username, unit, title, body, kind, fate in ITEMS:
        reporter_id = user_id_by_username(username)
        department = units[unit]
        if reporter_id is None or department is None:
            return
        ids[key] = (
            submissions.submit_submission(
                user_id=reporter_id,
                department_id=department.id,
                publication_id=publication_id,
                title=title,
                body=body,
                kind=kind,
                urgency="normal",
                idempotency_key=key,
            ),
            fate,
        )
    waiting = {k: sid for k, (sid, _f) in ids.items() if selectors.submission_status(sid) == "submitted"}

    published = [ids[k][0] for k in ("demo-briefing-1", "demo-briefing-2")]
    if any(k in waiting for k in ("demo-briefing-1", "demo-briefing-2")):
        issue_id = issues.create_issue(user_id=editor_id, publication_id=publication_id)
        for submission_id in published:
            submissions.adopt_submission(user_id=editor_id, submission_id=submission_id, issue_id=issue_id)
        issues.set_editor_note(
            user_id=editor_id, issue_id=issue_id, note="两个部门的做法有借鉴意义，请各地各部门结合实际学习。"
        )
        issues.publish_issue(user_id=editor_id, issue_id=issue_id)
        province = selectors.level_id_by_code("province")
        if province is not None:
            submissions.record_adoption(
                user_id=editor_id,
                submission_id=published[0],
                level_id=province,
                evidence="《省政务信息》2026年第45期",
            )
        issues.circulate_issue(user_id=editor_id, issue_id=issue_id, department_ids=[market.id, education.id])
        reader_id = user_id_by_username("education_info_reporter")
        if reader_id is not None:
            issues.mark_issue_read(user_id=reader_id, issue_id=issue_id)
    if "demo-briefing-3" in waiting:
        drafts = selectors.draft_issues(publication_id)
        draft_id = (
            drafts[0].pk if drafts else issues.create_issue(user_id=editor_id, publication_id=publication_id)
        )
        submissions.adopt_submission(
            user_id=editor_id, submission_id=ids["demo-briefing-3"][0], issue_id=draft_id
        )
    if "demo-briefing-5" in waiting:
        submissions.return_submission(
            user_id=editor_id,
            submission_id=ids["demo-briefing-5"][0],
            reason="请补充检查的设备数量和发现的问题",
        )
    if "demo-briefing-6" in waiting:
        submissions.reject_submission(
            user_id=editor_id, submission_id=ids["demo-briefing-6"][0], reason="属于内部会议，不宜刊发"
        )
