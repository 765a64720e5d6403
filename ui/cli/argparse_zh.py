"""argparse in Chinese: usage lines, help headings and refusals of bad arguments.

argparse looks its messages up through ``gettext`` at the moment it uses them, so replacing the
module's ``_``/``ngettext`` names with a lookup in this table is enough. A message missing here
(another Python version's wording) falls back to English rather than failing.
"""
from __future__ import annotations

import argparse
import gettext

MESSAGES = {
    "usage: ": "用法：",
    "options": "选项",
    "positional arguments": "位置参数",
    "show this help message and exit": "显示此帮助并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid %(type)s value: %(value)r": "值 %(value)r 无效（应为%(type)s）",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项 %(value)r（可选：%(choices)s）",
    "expected one argument": "需要一个值",
    "expected at least one argument": "至少需要一个值",
    "expected at most one argument": "至多只能有一个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是：%(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "参数 %s 必须提供其中之一",
    "ignored explicit argument %r": "多余的参数值 %r",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
    "unexpected option string: %s": "意外的选项：%s",
}
# The type names argparse puts into "invalid %(type)s value".
TYPE_NAMES = {"int": "整数", "float": "数字"}
PLURALS = {"expected %s argument": "需要 %s 个值", "expected %s arguments": "需要 %s 个值"}


def _translate(message: str) -> str:
    return MESSAGES.get(message, message)


def _ntranslate(singular: str, plural: str, n: int) -> str:
    english = singular if n == 1 else plural
    return PLURALS.get(english, gettext.ngettext(singular, plural, n))



def install() -> None:
    argparse._ = _translate  # type: ignore[attr-defined]
    argparse.ngettext = _ntranslate  # type: ignore[attr-defined]
    original = argparse.ArgumentParser._get_value

    def _get_value(self, action, arg_string):
        try:
            return original(self, action, arg_string)
        except argparse.ArgumentError as e:
            name = getattr(action.type, "__name__", "")
            if name in TYPE_NAMES:
                raise argparse.ArgumentError(action, f"值 {arg_string!r} 无效（应为{TYPE_NAMES[name]}）") from e
            raise

    argparse.ArgumentParser._get_value = _get_value  # type: ignore[method-assign]
