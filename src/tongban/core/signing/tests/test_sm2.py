"""SM2/SM3 against the worked example of GB/T 32918.2-2016 Annex A (GM/T 0003.2-2012 Annex A): the
256-bit prime-field test curve, user ALICE123@YAHOO.COM, message "message digest"."""

import pytest

from tongban.core.signing import sm2, verify_signature
from tongban.core.signing.backends.local import LocalSm2Signer

TEST_CURVE = sm2.Curve(
    p=0x8542D69E4C044F18E8B92435BF6FF7DE457283915C45517D722EDB8B08F1DFC3,
    a=0x787968B4FA32C3FD2417842E73BBFEFF2F3C848B6831D7E0EC65228B3937E498,
    b=0x63E4C6D3B23B0C849CF84241484BFE48F61D59A5B16BA06E6E12D1DA27C5249A,
    n=0x8542D69E4C044F18E8B92435BF6FF7DD297720630485628D5AE74EE7C32E79B7,
    gx=0x421DEBD61B62EAB6746434EBC3CC315E32220B3BADD50BDC4C4E6C147FEDD43D,
    gy=0x0680512BCBB42C07D47349D2153B70C4E5D7FDFCBFA36EA1A85841B9E46E09A2,
)
D_A = 0x128B2FA8BD433C6C068C8D803DFF79792A519A55171B1B650C23661D15897263
X_A = 0x0AE4C7798AA0F119471BEE11825BE46202BB79E2A5844495E97C04FF4DF2548A
Y_A = 0x7C0240F88F1CD4E16352A73C17B7F16F07353E53A176D684A9FE0C6BB798E857
ID_A = b"ALICE123@YAHOO.COM"
Z_A = "F4A38489E32B45B6F876E3AC2168CA392362DC8F23459C1D1146FC3DBFB7BC9A"
E = 0xB524F552CD82B8B028476E005C377FB19A87E6FC682D48BB5D42E3D9B9EFFE76
K = 0x6CB28D99385C175C94F94E934817663FC176D925DD72B727260DBAAE1FB2F96F
R = 0x40F1EC59F793D9F49E09DCEF49130D4194F79FB1EED2CAA55BACDB49C4E755D1
S = 0x6FC6DAC32C5D5CF10C77DFB20F7C2EB667A457872FB09EC56327A67EC7DEEBE7


def test_sm3_matches_the_standard_example():
    # GB/T 32905-2016 Annex A.1
    assert sm2.sm3(b"abc").hex() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def test_the_key_pair_z_and_digest_match_the_standard_example():
    assert sm2.public_key(TEST_CURVE, D_A) == (X_A, Y_A)
    assert sm2.z_value(TEST_CURVE, (X_A, Y_A), ID_A).hex().upper() == Z_A
    assert sm2.message_digest(TEST_CURVE, (X_A, Y_A), b"message digest", ID_A) == E


def test_the_signature_matches_the_standard_example_and_verifies():
    assert sm2.sign_digest(TEST_CURVE, D_A, E, k=K) == (R, S)
    assert sm2.verify_digest(TEST_CURVE, (X_A, Y_A), E, R, S)
    assert not sm2.verify_digest(TEST_CURVE, (X_A, Y_A), E + 1, R, S)
    assert not sm2.verify_digest(TEST_CURVE, (X_A, Y_A), E, R, S + 1)
    assert not sm2.verify_digest(TEST_CURVE, (X_A, Y_A), E, 0, S)


def test_the_recommended_curve_generator_has_order_n():
    curve = sm2.SM2P256
    assert sm2.is_on_curve(curve, (curve.gx, curve.gy))
    assert sm2.multiply(curve, curve.n, (curve.gx, curve.gy)) is None


def test_the_local_sm2_signer_signs_and_verifies_through_the_plugin_point():
    signer = LocalSm2Signer()
    pair = signer.generate_key()
    signature = signer.sign(private_key_ref=pair.private_key_ref, data="证照".encode())

    assert pair.algorithm == "SM2-SM3"
    assert "PRIVATE" not in pair.private_key_ref
    assert verify_signature(
        algorithm="SM2-SM3", public_key_pem=pair.public_key_pem, data="证照".encode(), signature=signature
    )
    assert not verify_signature(
        algorithm="SM2-SM3", public_key_pem=pair.public_key_pem, data="证件".encode(), signature=signature
    )
    assert not verify_signature(
        algorithm="ES256", public_key_pem=pair.public_key_pem, data="证照".encode(), signature=signature
    )


@pytest.mark.parametrize("pem", ["", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"])
def test_a_malformed_sm2_key_never_verifies(pem):
    assert not sm2.verify(pem, b"x", b"\x30\x00")
