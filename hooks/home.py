"""The home page's chapter cards: each shows a thumbnail of one of its chapter's figures.

A card's Markdown holds ``<!-- thumbnail CHAPTER -->``; the build replaces it by an
``<img>`` of the figure that ``THUMBNAILS`` names, drawn by that page's code in the home
page's language (the page runs now unless its outputs are cached, and the build then
reuses them for the page itself). The figure is written as a file of its own beside
the site's assets, so the home page's HTML stays light.
"""

from __future__ import annotations

import re
from pathlib import Path

from hooks.pages import ROOT, page_language, run_page

# chapter: (the page whose figure it shows, which of its figures from 0, what it shows)
THUMBNAILS = {
    "setting-up": ("setting-up/bias-variance", 0, {
        "en": "Training and dev error against the width of the network",
        "zh": "训练误差与验证集误差随网络宽度的变化"}),
    "regularization": ("regularization/early-stopping", 0, {
        "en": "Training and dev loss and accuracy over the epochs",
        "zh": "训练与验证集的损失和准确率随轮数的变化"}),
    "optimization": ("optimization/momentum", 0, {
        "en": "Paths of gradient descent and momentum on an elongated bowl",
        "zh": "梯度下降与动量在狭长碗形曲面上的路径"}),
    "tuning": ("tuning/batch-normalization", 0, {
        "en": "Training loss with and without batch normalization",
        "zh": "使用与不使用批量归一化时的训练损失"}),
    "debugging": ("debugging/loss-and-nan", 0, {
        "en": "Training loss after ten epochs against the learning rate",
        "zh": "训练十轮后的损失随学习率的变化"}),
    "recipe": ("recipe/learning-rate", 0, {
        "en": "The learning-rate range test: the loss against a rate that grows each step",
        "zh": "学习率范围测试：损失随逐步增大的学习率的变化"}),
}
PLACEHOLDER = re.compile(r"<!-- thumbnail ([a-z-]+) -->")
SVG = re.compile(r"<svg\b.*?</svg>", re.DOTALL)


def figure(page: str, index: int, language: str) -> str:
    """The ``index``-th figure (inline SVG) that ``page`` draws in ``language``."""
    source = ROOT / "docs" / (page + (".zh.md" if language == "zh" else ".md"))
    found = [svg for output in run_page(source) for svg in SVG.findall(output)]
    if index >= len(found):
        raise ValueError(f"{source.name} draws {len(found)} figures; THUMBNAILS asks for "
                         f"figure {index}")
    return found[index]


def with_thumbnails(markdown: str, source: str, site_dir: str) -> str:
    """``markdown`` with each thumbnail placeholder replaced by its figure's ``<img>``."""
    language = page_language(source)
    folder = "" if language == "en" else "../"  # the Chinese home page is at zh/

    def thumbnail(match: re.Match) -> str:
        chapter = match.group(1)
        if chapter not in THUMBNAILS:
            raise ValueError(f"no thumbnail for chapter {chapter!r}: see hooks/home.py")
        path = Path(site_dir) / "assets" / "thumbnails" / language / f"{chapter}.svg"
        path.parent.mkdir(parents=True, exist_ok=True)
        page, index, alt = THUMBNAILS[chapter]
        path.write_text(figure(page, index, language), encoding="utf-8")
        return (f'<img class="handbook-thumbnail" src="{folder}assets/thumbnails/{language}/'
                f'{chapter}.svg" alt="{alt[language]}">')

    return PLACEHOLDER.sub(thumbnail, markdown)
