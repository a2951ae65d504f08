# Image of the Paycor source connector, built the way Airbyte builds its Python connectors:
# Airbyte's Python connector base image (Python 3.11, user `airbyte` with uid 1000), the package
# installed with pip, and its console script `source-paycor` as the entry point.
# The base image is a build argument whose default must stay equal to `connectorBuildOptions.baseImage`
# in metadata.yaml; `make image` passes a stand-in of the same contract only where that one cannot be pulled.
ARG BASE_IMAGE=docker.io/airbyte/python-connector-base:4.0.2@sha256:9fdb1888c4264cf6fee473649ecb593f56f58e5d0096a87ee0b231777e2e3e73
FROM ${BASE_IMAGE}

WORKDIR /airbyte/integration_code

# Only what the package needs: its metadata, its code (with spec, endpoints and schemas) and main.py.
COPY setup.py main.py ./
COPY source_paycor ./source_paycor

# The dependencies' versions are bounded in setup.py's install_requires.
RUN pip install --no-cache-dir .

ENV AIRBYTE_ENTRYPOINT="source-paycor"
ENTRYPOINT ["source-paycor"]

LABEL io.airbyte.name=airbyte/source-paycor
LABEL io.airbyte.version=0.3.0

# The base image creates the unprivileged user `airbyte` (uid 1000); Airbyte's own connector
# template names it, so the platform and its docs refer to the same user.
# hadolint ignore=DL3066
USER airbyte
