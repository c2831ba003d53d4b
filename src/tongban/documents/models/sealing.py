"""用印 (issue 15): the platform's seal certificate authority and the X.509 certificate it issued for each
department seal, so that a sealed 公文 is a standard PDF signature (PAdES) that PDF readers verify.

Both private keys stay with the signer plug-in (``core.signing``; T-F5): the CA's ``private_key_ref`` is
what the signer needs, never the key in clear, exactly like ``licenses.Seal.private_key_ref``."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SealAuthority(models.Model):
    """平台印章证书签发机构: the only trust root of ``sealing.verify_pdf_seal``. A retired authority stays
    (documents it certified still verify); one is active."""

    name = models.CharField(_("名称"), max_length=100)
    algorithm = models.CharField(_("签名算法"), max_length=16)
    certificate_pem = models.TextField(_("根证书"))
    private_key_ref = models.TextField(_("私钥（加密）"), editable=False)
    is_active = models.BooleanField(_("在用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("印章证书签发机构")
        verbose_name_plural = _("印章证书签发机构")
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="documents_one_seal_ca"
            )
        ]

    def __str__(self) -> str:
        return self.name


class SealCertificate(models.Model):
    """The certificate of one department seal's public key, issued by the platform seal CA."""

    seal = models.OneToOneField(
        "licenses.Seal", verbose_name=_("电子印章"), on_delete=models.PROTECT, related_name="+"
    )
    authority = models.ForeignKey(SealAuthority, verbose_name=_("签发机构"), on_delete=models.PROTECT)
    serial_number = models.CharField(_("证书序列号"), max_length=40, unique=True)
    certificate_pem = models.TextField(_("证书"))
    not_after = models.DateTimeField(_("有效期至"))
    issued_at = models.DateTimeField(_("签发时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("印章证书")
        verbose_name_plural = _("印章证书")

    def __str__(self) -> str:
        return self.serial_number
