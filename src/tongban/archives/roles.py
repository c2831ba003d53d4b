"""The role the archive pages name; seeded into the role table by migration 0002."""

ARCHIVIST = "archivist"  # 档案管理员: reads and exports the department's archive, runs 四性检测

SEEDED = ((ARCHIVIST, "档案管理员", "归档公文，查阅、导出本部门档案，四性检测"),)
