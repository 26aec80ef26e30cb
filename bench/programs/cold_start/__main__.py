"""The dynamic-provider process's start-up, piece by piece (run by bench/scale/profiling.py).

Run: .venv/bin/python bench/programs/cold_start   (with AWS_* credentials, region and an endpoint in
the environment). Prints one JSON line: seconds to import the Pulumi SDK with grpc and dill, this
package's providers, botocore's service model, and to make the first boto3 client.
"""

import json
import time

t0 = time.perf_counter()
import dill  # noqa: E402, F401 - what the provider process imports first
import grpc  # noqa: E402, F401
import pulumi.dynamic  # noqa: E402
import pulumi.runtime  # noqa: E402, F401

t1 = time.perf_counter()
import pulumi_chime_sdk_identity.dynamic_providers  # noqa: E402, F401

t2 = time.perf_counter()
from pulumi_chime_sdk_identity.dynamic_providers import _aws, _schema  # noqa: E402

_schema.service_model()
t3 = time.perf_counter()
_aws.client_for("us-east-1")
t4 = time.perf_counter()
print(json.dumps({"sdk_import": t1 - t0, "package_import": t2 - t1, "service_model": t3 - t2, "client": t4 - t3}))
