"""The roles of 依申请公开, seeded into the role table by migration 0002.

- ``REQUEST_HANDLER`` (依申请公开承办): works the department's requests: 受理, 补正, 征求第三方意见,
  延期申请, uploading and redacting the files to release, drafting the answer.
- ``REQUEST_APPROVER`` (依申请公开审核签发): approves an extension, reviews and signs off the answer (the
  告知书 is then sealed and delivered), edits the redaction rules, and edits and publishes the
  department's 政府信息公开工作年度报告. The approver of the general office (``general_office_id``)
  also edits and publishes the government's report.
"""

REQUEST_HANDLER = "disclosure_request_handler"
REQUEST_APPROVER = "disclosure_request_approver"
REQUEST_ROLES = (REQUEST_HANDLER, REQUEST_APPROVER)

SEEDED = (
    (
        REQUEST_HANDLER,
        "依申请公开承办",
        "受理政府信息公开申请、补正、征求第三方意见、申请延期、遮蔽拟公开文件、拟写答复",
    ),
    (
        REQUEST_APPROVER,
        "依申请公开审核签发",
        "审批延期、审核签发答复告知书、维护遮蔽规则、编制发布政府信息公开工作年度报告",
    ),
)
