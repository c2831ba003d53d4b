"""The roles 12345 names, seeded into the role table by migration 0002. Staff hold them per
department: the 12345 centre's 话务员 and 派单员 (the demo city's centre is 市政数局), and the
承办人员 of each department that handles work orders."""

HOTLINE_AGENT = "hotline_agent"  # 话务员: enters calls
HOTLINE_DISPATCHER = "hotline_dispatcher"  # 派单员: 受理, 派单, 改派, 并单, 延期审批, 督办, 办结审核, 回访
HOTLINE_HANDLER = "hotline_handler"  # 承办人员: 签收, 退单, 办理, 回复, 申请延期

HOTLINE_ROLES = (HOTLINE_AGENT, HOTLINE_DISPATCHER, HOTLINE_HANDLER)

SEEDED = (
    (HOTLINE_AGENT, "12345话务员", "接听12345热线来电并录入诉求工单"),
    (HOTLINE_DISPATCHER, "12345派单员", "工单受理、派单、改派、并单、延期审批、督办、办结审核和回访"),
    (HOTLINE_HANDLER, "12345承办人员", "本单位工单的签收、退单、办理、回复和申请延期"),
)
