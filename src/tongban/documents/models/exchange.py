"""The keys of 公文交换 packages: this platform's own (the active one signs the manifest of every exported
package; retired ones stay trusted) and the public keys of the platforms it exchanges with."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ExchangeKey(models.Model):
    """A key a package manifest may be signed with. Our own keys have ``private_key_ref`` (what the
    configured signer needs: the key encrypted under an environment key, or an HSM label; never the key in
    clear); a peer platform's key has only its public half. Import trusts every row, nothing else."""

    platform_id = models.CharField(_("平台标识"), max_length=64)
    key_id = models.CharField(_("密钥标识"), max_length=32, unique=True)
    algorithm = models.CharField(_("签名算法"), max_length=16)
    public_key_pem = models.TextField(_("公钥"))
    private_key_ref = models.TextField(_("私钥（加密）"), blank=True, editable=False)
    is_own = models.BooleanField(_("本平台密钥"), default=False)
    is_active = models.BooleanField(_("在用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("公文交换密钥")
        verbose_name_plural = _("公文交换密钥")
        constraints = [
            models.UniqueConstraint(
                fields=["is_own"],
                condition=Q(is_own=True, is_active=True),
                name="documents_one_signing_exchange_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.platform_id} {self.key_id}"
