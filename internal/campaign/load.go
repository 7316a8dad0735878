package campaign

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // the zone database travels with the binary

	"golang.org/x/text/unicode/norm"
	"gopkg.in/yaml.v3"
)

// Zone is the campaign time zone, Asia/Ho_Chi_Minh.
var Zone = mustZone("Asia/Ho_Chi_Minh")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// UnmarshalYAML reads a YYYY-MM-DD day in the campaign zone.
func (d *Date) UnmarshalYAML(n *yaml.Node) error {
	t, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(n.Value), Zone)
	if err != nil {
		// A TypeError lets decoding go on, so every bad field of the file is reported.
		return &yaml.TypeError{Errors: []string{fmt.Sprintf("dòng %d: ngày %q phải có dạng YYYY-MM-DD", n.Line, n.Value)}}
	}
	d.Time = t
	return nil
}

// MarshalYAML writes the day back as YYYY-MM-DD.
func (d Date) MarshalYAML() (any, error) { return d.Format("2006-01-02"), nil }

// MarshalJSON writes the day as "YYYY-MM-DD".
func (d Date) MarshalJSON() ([]byte, error) { return json.Marshal(d.Format("2006-01-02")) }

// CampaignFile is the name of the main definition file in a campaign folder.
const CampaignFile = "campaign.yaml"

// QuestionnaireDir is the folder, beside campaign.yaml, holding one file per questionnaire.
const QuestionnaireDir = "questionnaires"

// Problem is one defect found in a definition, located by file, line and path.
type Problem struct {
	File string
	Line int
	Path string
	Msg  string
}

func (p Problem) String() string {
	loc := p.File
	if p.Line > 0 {
		loc = fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	if p.Path != "" {
		return fmt.Sprintf("%s: %s: %s", loc, p.Path, p.Msg)
	}
	return fmt.Sprintf("%s: %s", loc, p.Msg)
}

// Problems is the list of every defect in a definition; as an error it prints them all.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Load reads and checks the campaign in folder dir of fsys; a definition with any problem is
// returned with a Problems error listing all of them.
func Load(fsys fs.FS, dir string) (*Definition, error) {
	l := &loader{fsys: fsys, dir: dir, lines: map[string]map[string]int{}}
	def := l.read()
	if len(l.problems) == 0 {
		// A written 0 turns the answered-share rule off; only a missing key takes the default.
		_, setMin := l.lines[l.file(CampaignFile)]["rules.min_answered_percent"]
		setMin = setMin && def.Rules.MinAnsweredPercent == 0
		applyDefaults(def)
		if setMin {
			def.Rules.MinAnsweredPercent = 0
		}
		l.check(def)
	}
	def.Warnings = l.warnings
	if len(l.problems) > 0 {
		return def, l.problems
	}
	resolveOptions(def)
	return def, nil
}

type loader struct {
	fsys     fs.FS
	dir      string
	problems Problems
	// warnings are defects that do not stop the load (Definition.Warnings).
	warnings Problems
	// lines maps a file to the line of every path in it ("groups[2].quota").
	lines map[string]map[string]int
}

func (l *loader) file(name string) string { return path.Join(l.dir, name) }

func (l *loader) add(file, p, format string, args ...any) {
	line := l.lines[file][p]
	for q := p; line == 0 && q != ""; {
		i := strings.LastIndexAny(q, ".[")
		if i < 0 {
			break
		}
		q = q[:i]
		line = l.lines[file][q]
	}
	l.problems = append(l.problems, Problem{File: file, Line: line, Path: p, Msg: fmt.Sprintf(format, args...)})
}

func (l *loader) decode(file string, v any) bool {
	raw, err := fs.ReadFile(l.fsys, file)
	if err != nil {
		l.problems = append(l.problems, Problem{File: file, Msg: "không đọc được tệp: " + err.Error()})
		return false
	}
	raw = norm.NFC.Bytes(raw)
	var root yaml.Node
	if err := yaml.Unmarshal(raw, &root); err != nil {
		line, msg := splitLine(err.Error())
		l.problems = append(l.problems, Problem{File: file, Line: line, Msg: "YAML sai cú pháp: " + msg})
		return false
	}
	m := map[string]int{}
	indexLines(&root, "", m)
	l.lines[file] = m
	l.flowSplits(file, &root, "")
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		var te *yaml.TypeError
		switch {
		case errors.As(err, &te):
			for _, e := range te.Errors {
				line, msg := splitLine(translateYAML(e))
				l.problems = append(l.problems, Problem{File: file, Line: line, Path: pathAt(m, line, unknownField(e)), Msg: msg})
			}
		case errors.Is(err, io.EOF):
			l.problems = append(l.problems, Problem{File: file, Msg: "tệp rỗng"})
		default:
			line, msg := splitLine(err.Error())
			l.problems = append(l.problems, Problem{File: file, Line: line, Path: pathAt(m, line, ""), Msg: msg})
		}
		return false
	}
	return true
}

// linePrefix is the "line N: " that yaml.v3 puts before its messages ("dòng N: " in ours).
var linePrefix = regexp.MustCompile(`^(?:yaml: )?(?:line|dòng) (\d+): `)

// splitLine takes the line number out of a YAML message so that it becomes the problem's line.
func splitLine(msg string) (int, string) {
	sm := linePrefix.FindStringSubmatch(msg)
	if sm == nil {
		return 0, strings.TrimPrefix(msg, "yaml: ")
	}
	n, _ := strconv.Atoi(sm[1])
	return n, msg[len(sm[0]):]
}

// unknownFieldPattern matches yaml.v3's message for a key the format does not have.
var unknownFieldPattern = regexp.MustCompile(`: field (\S+) not found in type \S+$`)

func unknownField(e string) string {
	if sm := unknownFieldPattern.FindStringSubmatch(e); sm != nil {
		return sm[1]
	}
	return ""
}

// pathAt finds the path written on a line: the one ending in key when given, else the outermost
// (the key or list item the line starts with).
func pathAt(lines map[string]int, line int, key string) string {
	best := ""
	for p, n := range lines {
		if n != line {
			continue
		}
		if key != "" && (p == key || strings.HasSuffix(p, "."+key)) {
			return p
		}
		if best == "" || len(p) < len(best) || (len(p) == len(best) && p < best) {
			best = p
		}
	}
	return best
}

// translateYAML turns yaml.v3's English type errors into staff-readable Vietnamese.
func translateYAML(e string) string {
	e = strings.TrimPrefix(e, "yaml: ")
	if i := strings.Index(e, ": field "); i >= 0 && strings.HasSuffix(e, "not found in type "+e[strings.LastIndex(e, " ")+1:]) {
		field := strings.TrimSuffix(strings.TrimPrefix(e[i+2:], "field "), " not found in type "+e[strings.LastIndex(e, " ")+1:])
		return fmt.Sprintf("%s: trường %q không có trong định dạng (gõ sai tên?)", e[:i], field)
	}
	if sm := cannotUnmarshal.FindStringSubmatch(e); sm != nil {
		got := strings.TrimSpace(sm[3])
		switch {
		case got != "":
		case sm[2] == "!!map":
			got = "dạng \"khóa: giá trị\""
		case sm[2] == "!!seq":
			got = "dạng danh sách"
		default:
			got = sm[2]
		}
		return fmt.Sprintf("%sgiá trị %s không đúng kiểu: cần %s", sm[1], got, yamlKind(sm[4]))
	}
	if sm := duplicateKey.FindStringSubmatch(e); sm != nil {
		return fmt.Sprintf("%strường %s bị khai báo hai lần (lần đầu ở dòng %s)", sm[1], sm[2], sm[3])
	}
	return e
}

var (
	cannotUnmarshal = regexp.MustCompile("^(line \\d+: )cannot unmarshal (!!\\w+)( `.*`)? into (.+)$")
	duplicateKey    = regexp.MustCompile(`^(line \d+: )mapping key (".*") already defined at line (\d+)$`)
)

// yamlKind names the Go type a YAML value should have decoded into, in words staff know.
func yamlKind(goType string) string {
	switch {
	case strings.HasPrefix(goType, "[]"):
		return "một danh sách (các dòng bắt đầu bằng \"- \")"
	case strings.HasPrefix(goType, "map["), goType == "campaign.Definition", goType == "campaign.Questionnaire":
		return "các cặp \"khóa: giá trị\""
	case strings.HasPrefix(goType, "int"):
		return "một số nguyên"
	case goType == "bool":
		return "true hoặc false"
	case goType == "string", goType == "campaign.Channel", goType == "campaign.Shape", goType == "campaign.Combine", goType == "campaign.Missing":
		return "một chuỗi chữ"
	case strings.HasPrefix(goType, "campaign."):
		return "các cặp \"khóa: giá trị\""
	}
	return goType
}

// indexLines records the line of every mapping key and sequence item under path p.
func indexLines(n *yaml.Node, p string, m map[string]int) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			indexLines(c, p, m)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			if p != "" {
				k = p + "." + k
			}
			m[k] = n.Content[i].Line
			indexLines(n.Content[i+1], k, m)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			k := fmt.Sprintf("%s[%d]", p, i)
			m[k] = c.Line
			indexLines(c, k, m)
		}
	}
}

func (l *loader) read() *Definition {
	def := &Definition{}
	// Read the questionnaires even when campaign.yaml is broken, so that one run lists the
	// problems of every file.
	l.decode(l.file(CampaignFile), def)
	entries, err := fs.ReadDir(l.fsys, l.file(QuestionnaireDir))
	if err != nil {
		l.problems = append(l.problems, Problem{File: l.file(QuestionnaireDir), Msg: "thiếu thư mục mẫu phiếu: " + err.Error()})
		return def
	}
	for _, e := range entries {
		if e.IsDir() || !(strings.HasSuffix(e.Name(), ".yaml") || strings.HasSuffix(e.Name(), ".yml")) {
			continue
		}
		file := l.file(path.Join(QuestionnaireDir, e.Name()))
		var q Questionnaire
		if l.decode(file, &q) {
			q.File = file
			def.Questionnaires = append(def.Questionnaires, q)
		}
	}
	sort.SliceStable(def.Questionnaires, func(i, j int) bool { return def.Questionnaires[i].Code < def.Questionnaires[j].Code })
	return def
}

func applyDefaults(d *Definition) {
	if d.Scoring.DontKnow == "" {
		d.Scoring.DontKnow = MissingExclude
	}
	if d.Scoring.Blank == "" {
		d.Scoring.Blank = MissingExclude
	}
	if d.Scoring.Combine == "" {
		d.Scoring.Combine = CombineGroupWeights
	}
	if d.Scoring.MinForms == 0 {
		d.Scoring.MinForms = 1
	}
	if d.Rules.MinAnsweredPercent == 0 {
		d.Rules.MinAnsweredPercent = 70 * DecimalScale
	}
	yes := true
	if d.Rules.EnforceWindow == nil {
		d.Rules.EnforceWindow = &yes
	}
	if d.Rules.DoubleEntry == nil {
		d.Rules.DoubleEntry = &yes
	}
	for i := range d.Groups {
		if g := &d.Groups[i]; g.Quota == 0 && len(g.Populations) > 0 {
			g.Quota = populationQuota(g) // a group of populations needs theirs together
		}
		if d.Groups[i].Weight == nil {
			one := Decimal(DecimalScale)
			d.Groups[i].Weight = &one
		}
	}
	for i := range d.Questionnaires {
		if d.Questionnaires[i].Shape == "" {
			d.Questionnaires[i].Shape = ShapeSingle
		}
	}
}

// resolveOptions copies each scale's options into the questions that name it, so that every
// question carries its own options from here on.
func resolveOptions(d *Definition) {
	for qi := range d.Questionnaires {
		for si := range d.Questionnaires[qi].Sections {
			qs := d.Questionnaires[qi].Sections[si].Questions
			for i := range qs {
				if qs[i].Scale != "" {
					qs[i].Options = d.Scale(qs[i].Scale).Options
				}
			}
		}
	}
}

// Digest is a stable fingerprint of the definition, used to version it in storage.
func (d *Definition) Digest() string {
	b, err := json.Marshal(d)
	if err != nil {
		panic(err) // a Definition is always marshalable
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// UnmarshalJSON reads a "YYYY-MM-DD" day in the campaign zone.
func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	t, err := time.ParseInLocation("2006-01-02", s, Zone)
	if err != nil {
		return err
	}
	d.Time = t
	return nil
}
