#!/usr/bin/env python3
"""Translates the SAM template to plain CloudFormation, offline, with the
same library (aws-sam-translator) that runs behind `Transform:
AWS::Serverless-2016-10-31`, so scripts/check-infra can run cfn-lint on what
CloudFormation will really create: cfn-lint checks a SAM template's
AWS::Serverless::* resources only loosely, but checks the generated Lambda
functions, Function URL permissions, event source mapping and the IAM policy
strings in full.

    sam_translate.py TEMPLATE OUT.json

Local CodeUri paths (which `sam deploy` uploads) are replaced by a
placeholder S3 URI first, as `sam package` would. No AWS call is made:
the template names no managed policy, and the region is a stand-in.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

os.environ.setdefault("AWS_DEFAULT_REGION", "ap-northeast-2")

from samtranslator.translator.transform import transform  # noqa: E402
from samtranslator.yaml_helper import yaml_parse  # noqa: E402


class NoManagedPolicies:
    """The template attaches no AWS managed policy by name, so none is looked up."""

    def load(self) -> dict[str, str]:
        return {}


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    template = yaml_parse(source.read_text())
    for logical_id, resource in template.get("Resources", {}).items():
        props = resource.get("Properties", {})
        if resource.get("Type") == "AWS::Serverless::Function" and isinstance(
            props.get("CodeUri"), str
        ):
            props["CodeUri"] = f"s3://curfew-artifacts/{logical_id}.zip"
    try:
        translated = transform(template, {}, NoManagedPolicies())
    except Exception as error:  # the translator's own errors name the resource
        print(f"sam_translate: {source} does not translate: {error}", file=sys.stderr)
        return 1
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(translated, indent=1, sort_keys=True) + "\n")
    print(f"sam_translate: {source} -> {target} "
          f"({len(translated.get('Resources', {}))} CloudFormation resources)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
