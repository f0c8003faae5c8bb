#!/usr/bin/env python3
"""Static checks of the compose files, for hosts without a Docker engine (see validate.sh).

  check_compose.py schema SCHEMA.json FILE...   interpolate ${VAR:-default} as compose does, validate each file
                                                against the compose-spec JSON schema
  check_compose.py app-env FILE...              the app service's FGCLIP2_* environment, one KEY=VALUE a line,
                                                the files merged as compose merges overrides
  check_compose.py script FILE SERVICE KEY      the shell script inside SERVICE's KEY (entrypoint or command),
                                                with compose's $$ escapes undone, for `sh -n`

Needs PyYAML and jsonschema (Debian: python3-yaml python3-jsonschema).
"""
import json
import os
import re
import sys

import yaml

# ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}, and $$ (a literal $).
_VARIABLE = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}")


def interpolate(value, env):
    """Compose's variable substitution; a required variable that is unset gets a placeholder path."""
    if isinstance(value, dict):
        return {k: interpolate(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v, env) for v in value]
    if not isinstance(value, str):
        return value

    def substitute(match):
        if match.group(0) == "$$":
            return "$"
        name, operator, argument = match.groups()
        current = env.get(name)
        if operator in (":-", "-"):
            unset = current is None or (operator == ":-" and current == "")
            return argument if unset else current
        if operator in (":?", "?"):
            return "/placeholder/for/" + name if current is None or current == "" else current
        return current or ""

    return _VARIABLE.sub(substitute, value)


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def check_schema(schema_path, files):
    import jsonschema

    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    validator_class = jsonschema.validators.validator_for(schema, default=jsonschema.Draft7Validator)
    validator = validator_class(schema)
    failed = False
    for path in files:
        document = interpolate(load(path), dict(os.environ))
        errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
        for error in errors:
            where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
            print(f"{path}: {where}: {error.message}")
        print(f"{path}: {'INVALID' if errors else 'valid'} against {schema_path}")
        failed = failed or bool(errors)
    return 1 if failed else 0


def app_env(paths):
    """Later files override earlier ones, key by key, as compose merges environment mappings."""
    merged = {}
    for path in paths:
        service = interpolate(load(path), dict(os.environ))["services"].get("app", {})
        environment = service.get("environment", {})
        if isinstance(environment, list):
            environment = dict(item.split("=", 1) for item in environment)
        merged.update(environment)
    for key, value in sorted(merged.items()):
        if key.startswith("FGCLIP2_"):
            print(f"{key}={'' if value is None else value}")
    return 0


def script(path, service_name, key):
    # Only $$ is undone: the script's own ${...} belong to the shell, which compose would not touch either.
    value = load(path)["services"][service_name][key]
    texts = value if isinstance(value, list) else [value]
    scripts = [t for t in texts if isinstance(t, str) and "\n" in t]
    if len(scripts) != 1:
        print(f"{path}: {service_name}.{key} holds {len(scripts)} multi-line scripts, expected one", file=sys.stderr)
        return 1
    sys.stdout.write(scripts[0].replace("$$", "$"))
    return 0


def main(argv):
    commands = {
        "schema": lambda a: check_schema(a[0], a[1:]),
        "app-env": lambda a: app_env(a),
        "script": lambda a: script(a[0], a[1], a[2]),
    }
    if len(argv) < 2 or argv[0] not in commands:
        print(__doc__, file=sys.stderr)
        return 2
    return commands[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
