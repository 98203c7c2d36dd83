"""The chapters of the handbook: the folders of docs/ whose pages are lessons.

A technique chapter's pages follow the technique-page plan of CONTRIBUTING.md (the
problem, the idea and the math, the implementation, experiments, In practice,
Conventions, Further reading); the debugging chapter is organized by symptom instead.
The tests of the pages and of the built site take the chapters from here.
"""

TECHNIQUE_CHAPTERS = ("setting-up", "regularization", "optimization", "tuning", "recipe")
CHAPTERS = (*TECHNIQUE_CHAPTERS, "debugging")
# folders of docs/ with pages that are not chapters
OTHER_FOLDERS = ("labs", "reference", "assets")
