"""The Practical Deep Learning Handbook: a NumPy neural-network stack.

Every algorithm the handbook's pages teach lives here, written to be read
beside its formula. Rows are samples: ``x`` has shape ``(batch, features)``.
"""

from handbook.parameter import Parameter

__version__ = "0.1.0"
