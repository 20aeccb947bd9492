"""Code tables printed on the card: nations (GB 3304) and gender (GB/T 2261.1)."""

from __future__ import annotations

from enum import Enum
from typing import Final

__all__ = ["NATIONS", "Gender", "nation_name"]

_NAMES: Final = (
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 "
    "高山 拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 "
    "普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 "
    "珞巴 基诺"
).split()

NATIONS: Final[dict[str, str]] = {
    **{f"{i:02d}": name for i, name in enumerate(_NAMES, start=1)},
    "97": "其他",
    "98": "外国血统中国籍人士",
}


def nation_name(code: str) -> str | None:
    """Return the nation's name for a two-digit code, or None if the code is unknown."""
    return NATIONS.get(code)


class Gender(Enum):
    """Gender as coded on the card; ``value`` is the code, ``label`` the printed word."""

    UNKNOWN = "0"
    MALE = "1"
    FEMALE = "2"
    UNSPECIFIED = "9"

    @property
    def label(self) -> str:
        """Return the Chinese word the card prints for this gender."""
        return {"0": "未知", "1": "男", "2": "女", "9": "未说明"}[self.value]
