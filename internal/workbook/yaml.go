package workbook

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"
	"testing/fstest"

	"github.com/parsurvey/parsurvey/internal/campaign"
	"gopkg.in/yaml.v3"
)

// yamlFiles writes a definition as the files of a campaign folder (campaign.yaml and one file
// per questionnaire), so that campaign.Load checks a workbook exactly as it checks YAML.
// What the definition leaves out (an empty list or block, a missing date, the answered share
// when omitMin) is left out of the YAML too: Load tells a written block from a missing one,
// and a written empty list from a missing one in the JSON its digest is taken of.
func yamlFiles(def *campaign.Definition, omitMin bool) (fstest.MapFS, []string, error) {
	main, err := yamlNode(def)
	if err != nil {
		return nil, nil, err
	}
	for key, gone := range map[string]bool{"opens": def.Opens.IsZero(), "closes": def.Closes.IsZero()} {
		if gone {
			removeKey(main, key)
		}
	}
	if omitMin {
		if rules := valueOf(main, "rules"); rules != nil {
			removeKey(rules, "min_answered_percent")
		}
	}
	prune(main)
	out, err := yaml.Marshal(main)
	if err != nil {
		return nil, nil, fmt.Errorf("workbook: write campaign YAML: %w", err)
	}
	files := fstest.MapFS{campaign.CampaignFile: {Data: out}}
	names := make([]string, len(def.Questionnaires))
	for i := range def.Questionnaires {
		q := plainQuestionnaire(def.Questionnaires[i])
		node, err := yamlNode(&q)
		if err != nil {
			return nil, nil, err
		}
		prune(node)
		raw, err := yaml.Marshal(node)
		if err != nil {
			return nil, nil, fmt.Errorf("workbook: write questionnaire %s: %w", q.Code, err)
		}
		names[i] = path.Join(campaign.QuestionnaireDir, fmt.Sprintf("%03d.yaml", i+1))
		files[names[i]] = &fstest.MapFile{Data: raw}
	}
	if len(def.Questionnaires) == 0 {
		files[campaign.QuestionnaireDir] = &fstest.MapFile{Mode: fs.ModeDir | 0o755}
	}
	return files, names, nil
}

// plainQuestionnaire is q as its YAML file writes it: a question naming a scale carries the
// scale's code only (Load copies the options in).
func plainQuestionnaire(q campaign.Questionnaire) campaign.Questionnaire {
	sections := make([]campaign.Section, len(q.Sections))
	for si, s := range q.Sections {
		qs := make([]campaign.Question, len(s.Questions))
		for i, item := range s.Questions {
			if item.Scale != "" {
				item.Options = nil
			}
			qs[i] = item
		}
		sections[si] = campaign.Section{Title: s.Title, Questions: qs}
	}
	q.Sections = sections
	return q
}

// prune removes, at every depth, the keys whose value is null, "", an empty list or an empty
// block: each reads back as the zero value it was written from.
func prune(m *yaml.Node) {
	switch m.Kind {
	case yaml.SequenceNode:
		for _, c := range m.Content {
			prune(c)
		}
	case yaml.MappingNode:
		kept := m.Content[:0]
		for i := 0; i+1 < len(m.Content); i += 2 {
			v := m.Content[i+1]
			prune(v)
			empty := (v.Kind == yaml.ScalarNode && (v.Tag == "!!null" || (v.Tag == "!!str" && v.Value == ""))) ||
				((v.Kind == yaml.SequenceNode || v.Kind == yaml.MappingNode) && len(v.Content) == 0)
			if !empty {
				kept = append(kept, m.Content[i], v)
			}
		}
		m.Content = kept
	}
}

// yamlNode marshals v and reads it back as a mapping node whose keys can be removed.
func yamlNode(v any) (*yaml.Node, error) {
	raw, err := yaml.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("workbook: write YAML: %w", err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("workbook: reread YAML: %w", err)
	}
	return doc.Content[0], nil
}

func valueOf(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func removeKey(m *yaml.Node, key string) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content = append(m.Content[:i], m.Content[i+2:]...)
			return
		}
	}
}

// WriteYAMLZip writes a definition as a zip of its campaign folder: campaign.yaml and
// questionnaires/<code>.yaml, as `parsurvey check` and `load` read them once unpacked.
func WriteYAMLZip(w io.Writer, def *campaign.Definition) error {
	files, names, err := yamlFiles(def, false)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(w)
	write := func(name string, data []byte) error {
		fw, err := zw.Create(path.Join(def.Code, name))
		if err != nil {
			return err
		}
		_, err = fw.Write(data)
		return err
	}
	if err := write(campaign.CampaignFile, files[campaign.CampaignFile].Data); err != nil {
		return err
	}
	for i, n := range names {
		if err := write(path.Join(campaign.QuestionnaireDir, def.Questionnaires[i].Code+".yaml"), files[n].Data); err != nil {
			return err
		}
	}
	return zw.Close()
}

// maxZipFile and maxZipTotal bound what an uploaded zip may unpack to: a definition is text of
// a few hundred kilobytes, so anything far larger is not one.
const (
	maxZipFile  = 4 << 20
	maxZipTotal = 16 << 20
)

// ReadYAMLZip reads and checks a campaign folder packed as a zip (campaign.yaml at the top or
// inside one folder). Its problems are campaign.Problems, named by the file inside the zip.
func ReadYAMLZip(data []byte) (*campaign.Definition, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, campaign.Problems{{File: "tệp nén", Msg: "tệp không phải là tệp nén .zip đọc được"}}
	}
	files := fstest.MapFS{}
	dir, total := "", 0
	found := false
	for _, f := range zr.File {
		name := path.Clean(strings.TrimPrefix(f.Name, "/"))
		if f.FileInfo().IsDir() || strings.HasPrefix(name, "..") || strings.HasPrefix(path.Base(name), ".") || strings.Contains(name, "__MACOSX") {
			continue
		}
		if f.UncompressedSize64 > maxZipFile || total+int(f.UncompressedSize64) > maxZipTotal {
			return nil, campaign.Problems{{File: "tệp nén", Msg: fmt.Sprintf("tệp %s trong tệp nén quá lớn cho một định nghĩa đợt khảo sát", name)}}
		}
		rc, err := f.Open()
		if err != nil {
			return nil, campaign.Problems{{File: "tệp nén", Msg: fmt.Sprintf("không mở được %s trong tệp nén", name)}}
		}
		raw, err := io.ReadAll(io.LimitReader(rc, maxZipFile+1))
		rc.Close()
		if err != nil || len(raw) > maxZipFile {
			return nil, campaign.Problems{{File: "tệp nén", Msg: fmt.Sprintf("không đọc được %s trong tệp nén", name)}}
		}
		total += len(raw)
		files[name] = &fstest.MapFile{Data: raw}
		if path.Base(name) == campaign.CampaignFile && (!found || len(path.Dir(name)) < len(dir)) {
			dir, found = path.Dir(name), true
		}
	}
	if !found {
		return nil, campaign.Problems{{File: "tệp nén", Msg: "tệp nén không có campaign.yaml"}}
	}
	return campaign.Load(files, dir)
}

// Check runs campaign.Load's checks on a definition made or changed in memory (a campaign
// edited in the web): it is written as YAML and loaded back, so the result is what loading
// its folder would give. Problems name YAML paths ("units[3].kind").
func Check(def *campaign.Definition) (*campaign.Definition, error) {
	files, _, err := yamlFiles(def, false)
	if err != nil {
		return nil, err
	}
	return campaign.Load(files, ".")
}
