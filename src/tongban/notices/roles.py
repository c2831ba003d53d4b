"""The role (岗位) of 通知公告, seeded into the role table by migration 0002. Held in a department, it
publishes that department's notices (to it and its sub-departments); held in the general office
(市政府办公室) it also publishes city-wide ones. A 部门管理员 publishes like a notice publisher; a
全市系统管理员 publishes anywhere."""

NOTICE_PUBLISHER = "notice_publisher"

SEEDED = ((NOTICE_PUBLISHER, "通知发布员", "起草、发布和撤回本部门的通知公告，查看阅知情况"),)
