"""The roles 督查督办 names. ``TRACKING_OFFICER`` is seeded into the role table by migration 0002."""

from tongban.documents.roles import DOCUMENT_CLERK, DOCUMENT_SIGNER
from tongban.organizations.selectors import DEPARTMENT_HEAD

TRACKING_OFFICER = "tracking_officer"  # 督查人员: 立项, 交办, 审核办结 and 延期, 评价, 催办

# Who acts for a lead department (签收, 阶段反馈, 申请办结, 申请延期) and for an assisting one (反馈): its
# 文书人员, who sign for and answer the documents addressed to it, and its 部门负责人.
DEPARTMENT_ACTORS = (DOCUMENT_CLERK, DEPARTMENT_HEAD)
# Leaders whose 督办 board lists the items they instructed on, and their departments' items.
LEADER_ROLES = (DOCUMENT_SIGNER, DEPARTMENT_HEAD)

# Who sees the workbench's 督办 entry (anyone involved still opens an item from a link or a message).
TRACKING_ROLES = (TRACKING_OFFICER, *DEPARTMENT_ACTORS, DOCUMENT_SIGNER)

SEEDED = ((TRACKING_OFFICER, "督查人员", "督办事项立项、交办、审核办结和延期、评价、催办"),)
