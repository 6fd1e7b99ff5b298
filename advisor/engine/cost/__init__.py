"""Instance sizing and the monthly cost estimate, from the dated price table.

`catalog` reads the price table and its instance classes, `sizing` sizes the class and prices it
(and derives the figures rules compare), `estimate` prices every part of a design.
"""

from .catalog import (
    COMMERCIAL,
    GIB_PER_GB,
    PRICES_PATH,
    SIZING,
    STANDBYS,
    InstanceClass,
    class_names,
    gib,
    instance_classes,
    intel_families,
    region_names,
)
from .estimate import estimate
from .sizing import (
    DERIVE_READS,
    SIZE_READS,
    SIZES,
    Sizing,
    aurora_class,
    default_working_set_gb,
    derive,
    derived_value,
    licence_per_hour,
    platform_class,
    rds_hourly,
    region_factor,
    reserved_factor,
    serverless_acus,
    size_class,
    sizing_words,
    working_set_gb,
)

__all__ = [
    "COMMERCIAL",
    "DERIVE_READS",
    "GIB_PER_GB",
    "PRICES_PATH",
    "SIZES",
    "SIZE_READS",
    "SIZING",
    "STANDBYS",
    "InstanceClass",
    "Sizing",
    "aurora_class",
    "class_names",
    "default_working_set_gb",
    "derive",
    "derived_value",
    "estimate",
    "gib",
    "instance_classes",
    "intel_families",
    "licence_per_hour",
    "platform_class",
    "rds_hourly",
    "region_factor",
    "region_names",
    "reserved_factor",
    "serverless_acus",
    "size_class",
    "sizing_words",
    "working_set_gb",
]
