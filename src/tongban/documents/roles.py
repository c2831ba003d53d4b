"""The roles (岗位) the 公文 processes and pages name; seeded into the role table by migration 0002. A
role is held in a department, so "the seal keeper of the issuing body" is the ``SEAL_KEEPER`` of its
department."""

DOCUMENT_CLERK = "document_clerk"  # 文书人员: 编号, 套红, 分发; 收文 签收 and 登记
DOCUMENT_REVIEWER = "document_reviewer"  # 核稿人员: 办公室核稿, 收文 拟办
DOCUMENT_SIGNER = "document_signer"  # 签发领导: 签发 outgoing documents, 批示 on incoming ones
SEAL_KEEPER = "seal_keeper"  # 印章管理员: 用印

SEEDED = (
    (DOCUMENT_CLERK, "文书人员", "公文编号、套红、分发；收文签收、登记"),
    (DOCUMENT_REVIEWER, "核稿人员", "办公室核稿；收文拟办"),
    (DOCUMENT_SIGNER, "签发领导", "签发本机关公文；收文批示"),
    (SEAL_KEEPER, "印章管理员", "公文用印"),
)
