"""The roles (岗位) of 意见征集 and 在线访谈, seeded into the role table by migration 0002.

- 征集发布 (consultation_publisher), held in a department: drafts, publishes and closes that department's
  consultations and interviews, answers their comments and questions, records 采纳情况 and publishes it.
- 留言审核 (consultation_moderator): approves or rejects the held comments and questions of the
  consultations and interviews of its department; held in the general office (市政府办公室), of every
  department."""

CONSULTATION_PUBLISHER = "consultation_publisher"
CONSULTATION_MODERATOR = "consultation_moderator"

SEEDED = (
    (CONSULTATION_PUBLISHER, "征集发布", "发布本部门的意见征集和在线访谈，答复留言，公布采纳情况"),
    (CONSULTATION_MODERATOR, "留言审核", "审核意见征集的留言和在线访谈的提问"),
)
