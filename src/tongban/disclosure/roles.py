"""The roles 政务公开 names; seeded into the role table by migration 0002."""

DISCLOSURE_EDITOR = "disclosure_editor"  # 信息公开编辑: drafts and submits items of the department
DISCLOSURE_SECRECY_REVIEWER = "disclosure_secrecy_reviewer"  # 保密审查员
DISCLOSURE_APPROVER = "disclosure_approver"  # 公开审核领导
DISCLOSURE_ADMIN = "disclosure_admin"  # 政务公开管理员: 公开指南, city-wide timeliness, 月通报/季点评

DEPARTMENT_ROLES = (DISCLOSURE_EDITOR, DISCLOSURE_SECRECY_REVIEWER, DISCLOSURE_APPROVER)
ALL_ROLES = (*DEPARTMENT_ROLES, DISCLOSURE_ADMIN)

SEEDED = (
    (DISCLOSURE_EDITOR, "信息公开编辑", "拟稿、修改和送审本部门主动公开的政府信息"),
    (DISCLOSURE_SECRECY_REVIEWER, "保密审查员", "对拟公开的政府信息进行保密审查"),
    (DISCLOSURE_APPROVER, "公开审核领导", "审核并发布本部门主动公开的政府信息"),
    (DISCLOSURE_ADMIN, "政务公开管理员", "维护政府信息公开指南，查看全市公开时效，编写月通报和季点评"),
)
