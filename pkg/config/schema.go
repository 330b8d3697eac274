package config

import (
	_ "embed"
	"slices"
)

// SchemaID is the $id of the config file's JSON Schema. It is the URL the schema is published at, so
// editors can fetch it from a `# yaml-language-server: $schema=<SchemaID>` comment or a JSON file's
// "$schema" key.
const SchemaID = "https://raw.githubusercontent.com/ssoctl/ssoctl/main/pkg/config/schema.json"

// schemaJSON is embedded rather than generated from the Go types because editors need what Go tags
// cannot say: titles, descriptions, enums and per-type required fields. A test in pkg/validate keeps
// it in step with the types.
//
//go:embed schema.json
var schemaJSON []byte

// JSONSchema returns the JSON Schema (draft 2020-12) of the config file, as `ssoctl config schema`
// prints it and `ssoctl validate` checks files against it. The slice is a copy the caller may keep.
func JSONSchema() []byte { return slices.Clone(schemaJSON) }
