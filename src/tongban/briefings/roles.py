"""The roles (岗位) of 政务信息报送, seeded into the role table by migration 0002.

Only a 信息员 submits: a unit's information goes out under the unit's name, so the unit names who may
speak for it (any staff member may be made one by the department administrator). A 信息编辑 edits the
publications of the department in which the role is held (the general office 云州市人民政府办公室)."""

BRIEFING_REPORTER = "briefing_reporter"  # 信息员: submits 信息 for the department, resubmits after 退修
BRIEFING_EDITOR = "briefing_editor"  # 信息编辑: 采用 / 不采用 / 退修, compiles and circulates issues

SEEDED = (
    (BRIEFING_REPORTER, "信息员", "代表本单位报送政务信息，退修后修改重报"),
    (BRIEFING_EDITOR, "信息编辑", "审核采用政务信息，编发信息刊物，传阅，考核计分"),
)
