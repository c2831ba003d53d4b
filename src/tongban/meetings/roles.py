"""The role (岗位) the meetings pages name; seeded into the role table by migration 0002. A 会议室管理员
manages the rooms of the department the role is held in (name, place, capacity, equipment, 启用)."""

MEETING_ADMIN = "meeting_admin"  # 会议室管理员

SEEDED = ((MEETING_ADMIN, "会议室管理员", "管理本部门的会议室：容纳人数、设备、启用和停用"),)
