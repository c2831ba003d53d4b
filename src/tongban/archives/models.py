"""Archived records (归档文件, DA/T 22-2015): one 件 with its 档号, 保管期限 and a fixed snapshot."""
