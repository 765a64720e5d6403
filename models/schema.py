"""Imports every table module so that Base.metadata knows the whole schema."""
from models import admin, attachment, draw, inspection, plan, roster, seal, supervision  # noqa: F401
from models.base import Base

metadata = Base.metadata
