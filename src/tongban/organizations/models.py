from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """An administrative area (行政区划): city, district/county, town/street, community/village."""

    class Level(models.TextChoices):
        CITY = "city", _("市")
        DISTRICT = "district", _("区县")
        TOWN = "town", _("镇街")
        COMMUNITY = "community", _("村社区")

    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=models.F("id")), name="region_not_own_parent"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """A government body (部门 / 实施主体), possibly under a parent department (e.g. a police 支队)."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=50)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    region = models.ForeignKey(
        Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="departments"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    # The city's general office (市政府办公室): its notice publishers address the whole city (通知公告).
    is_general_office = models.BooleanField(_("市政府办公室"), default=False)

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["region__code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_general_office"],
                condition=Q(is_general_office=True),
                name="department_one_general_office",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ServiceHall(models.Model):
    """A physical service centre (政务服务中心 / 便民服务中心)."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    region = models.ForeignKey(
        Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="halls"
    )
    address = models.CharField(_("地址"), max_length=200)
    hours = models.CharField(_("办公时间"), max_length=200)
    phone = models.CharField(_("咨询电话"), max_length=30)
    directions = models.CharField(_("交通指引"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("政务服务大厅")
        verbose_name_plural = _("政务服务大厅")
        ordering = ["region__code", "name"]

    def __str__(self) -> str:
        return self.name


class ServiceWindow(models.Model):
    """A counter (窗口) in a hall, staffed for one or more departments."""

    hall = models.ForeignKey(
        ServiceHall, verbose_name=_("大厅"), on_delete=models.CASCADE, related_name="windows"
    )
    number = models.CharField(_("窗口号"), max_length=10)
    name = models.CharField(_("名称"), max_length=100)
    departments = models.ManyToManyField(Department, verbose_name=_("进驻部门"), related_name="windows")

    class Meta:
        verbose_name = _("窗口")
        verbose_name_plural = _("窗口")
        ordering = ["hall", "number"]
        constraints = [
            models.UniqueConstraint(fields=["hall", "number"], name="window_number_unique_in_hall")
        ]

    def __str__(self) -> str:
        return f"{self.hall.name} {self.number}号窗口"


class StaffRole(models.TextChoices):
    """The built-in roles (岗位) whose meaning lives in code (who reads cases, who administers …). Every
    role, built-in or a city's own, is a row of ``Role``; code that checks a specific role names it here."""

    CATALOG_EDITOR = "catalog_editor", _("事项管理员")
    CLERK = "clerk", _("受理人员")
    REVIEWER = "reviewer", _("审核人员")
    APPROVER = "approver", _("审批人员")
    SUPERVISOR = "supervisor", _("监察人员")
    DEPARTMENT_ADMIN = "department_admin", _("部门管理员")
    CITY_SUPERVISOR = "city_supervisor", _("全市电子监察")
    # Administers every department (staff accounts, the readiness check), wherever the role is held.
    CITY_ADMIN = "city_admin", _("全市系统管理员")
    # 三权分立 (等保 8.1.4.2): the 系统管理员 (city_admin), the 安全管理员 and the 审计管理员 are three
    # different people; organizations.selectors.SEPARATED_ADMIN_ROLES.
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")
    # Heads a department: the assignee rules ``department_head`` and ``leader`` (issue 14).
    DEPARTMENT_HEAD = "department_head", _("部门负责人")
    # 公文 (issue 15): the roles the 发文 and 收文 processes name (tongban.documents.roles).
    DOCUMENT_CLERK = "document_clerk", _("文书人员")
    DOCUMENT_REVIEWER = "document_reviewer", _("核稿人员")
    DOCUMENT_SIGNER = "document_signer", _("签发领导")
    SEAL_KEEPER = "seal_keeper", _("印章管理员")
    # 档案 (issue 15): keeps and checks the archive (tongban.archives).
    ARCHIVIST = "archivist", _("档案管理员")
    # 会议 (issue 16): manages the meeting rooms of its department (tongban.meetings).
    MEETING_ADMIN = "meeting_admin", _("会议室管理员")
    # 督查督办 (issue 16): opens, assigns, reviews and evaluates 督办事项 (tongban.tracking).
    TRACKING_OFFICER = "tracking_officer", _("督查人员")
    # 政务信息报送 (issue 16): tongban.briefings.roles.
    BRIEFING_REPORTER = "briefing_reporter", _("信息员")
    BRIEFING_EDITOR = "briefing_editor", _("信息编辑")
    # 通知公告 (issue 16): publishes its department's notices (tongban.notices); in the general office
    # (``Department.is_general_office``) also city-wide ones.
    NOTICE_PUBLISHER = "notice_publisher", _("通知发布员")
    # 依申请公开 (issue 17): tongban.disclosure_requests.roles.
    DISCLOSURE_REQUEST_HANDLER = "disclosure_request_handler", _("依申请公开承办")
    DISCLOSURE_REQUEST_APPROVER = "disclosure_request_approver", _("依申请公开审核签发")
    # 意见征集 and 在线访谈 (issue 17): tongban.consultations.roles.
    CONSULTATION_PUBLISHER = "consultation_publisher", _("征集发布")
    CONSULTATION_MODERATOR = "consultation_moderator", _("留言审核")
    # 12345 (issue 17): enter calls, dispatch and handle work orders (tongban.hotline.roles).
    HOTLINE_AGENT = "hotline_agent", _("12345话务员")
    HOTLINE_DISPATCHER = "hotline_dispatcher", _("12345派单员")
    HOTLINE_HANDLER = "hotline_handler", _("12345承办人员")
    # 政务公开 (issue 17): tongban.disclosure.roles.
    DISCLOSURE_EDITOR = "disclosure_editor", _("信息公开编辑")
    DISCLOSURE_SECRECY_REVIEWER = "disclosure_secrecy_reviewer", _("保密审查员")
    DISCLOSURE_APPROVER = "disclosure_approver", _("公开审核领导")
    DISCLOSURE_ADMIN = "disclosure_admin", _("政务公开管理员")
    # Region-scoped administration (issue 20): the 系统管理员 of a county (区县): departments, staff, catalog
    # items and processes of the region of the department where the role is held and every region below
    # it (organizations.selectors.administered_regions).
    REGION_ADMIN = "region_admin", _("区县系统管理员")


class Role(models.Model):
    """A role (岗位) staff hold in a department and process steps name (``role``). The built-in ones
    (``StaffRole``) are seeded and never deactivated; a city adds its own (财务审核, 分管领导 …)."""

    code = models.SlugField(_("岗位代码"), max_length=32, unique=True)
    name = models.CharField(_("岗位名称"), max_length=50, unique=True)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    is_builtin = models.BooleanField(_("平台内置"), default=False)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("岗位")
        verbose_name_plural = _("岗位")
        ordering = ["-is_builtin", "id"]

    def __str__(self) -> str:
        return self.name


class StaffAssignment(models.Model):
    """A staff member holds a role in one department; every permission is scoped by it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("工作人员"), on_delete=models.CASCADE, related_name="+"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("部门"), on_delete=models.PROTECT, related_name="assignments"
    )
    # A ``Role`` code, checked against the active roles wherever an assignment is made.
    role = models.CharField(_("角色"), max_length=32)

    class Meta:
        verbose_name = _("岗位授权")
        verbose_name_plural = _("岗位授权")
        constraints = [
            models.UniqueConstraint(fields=["user", "department", "role"], name="staff_assignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.department} · {self.role}"


class DirectoryEntry(models.Model):
    """A staff member's line in the 通讯录: position (职务), office phone and a mobile number that the
    directory shows only when the person allows it (``shows_mobile``, off until they turn it on)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("工作人员"), on_delete=models.CASCADE, related_name="+"
    )
    position = models.CharField(_("职务"), max_length=50, blank=True)
    office_phone = models.CharField(_("办公电话"), max_length=30, blank=True)
    mobile = models.CharField(_("手机号码"), max_length=20, blank=True)
    shows_mobile = models.BooleanField(_("在通讯录中显示手机号码"), default=False)
    # Within a department, lower first (leaders before staff), then by name.
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("通讯录信息")
        verbose_name_plural = _("通讯录信息")

    def __str__(self) -> str:
        return f"{self.user_id} {self.position}"
