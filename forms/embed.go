// Package forms carries the campaign definitions shipped with parsurvey, so that the binary can
// load them without the source tree.
package forms

import "embed"

// FS holds the demo campaign: demo/campaign.yaml and demo/questionnaires/*.yaml.
//
//go:embed demo
var FS embed.FS
