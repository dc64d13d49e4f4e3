package archtest

import (
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// apiDoc is what the package doc of a client must hold so that it stands on
// its own: the title of the provider's document, and a "# Requests" table
// with one row per request naming the methods that send it.
type apiDoc struct {
	title string
	// rows maps the start of a table row (HTTP method and path) to the
	// methods that the row must name.
	rows map[string][]string
	// noRequest lists the exported methods that send no request of their
	// own, so need no row.
	noRequest []string
}

var apiDocs = map[string]apiDoc{
	"paruskaz": {
		title: "«API для передача данных о посещении учреждения из СКУД на портал sb.paruskaz.kz»",
		rows: map[string][]string{
			"POST /back/apikey/v1/data_set": {"Client.Push", "Client.Upload", "Client.UploadSlice", "Uploader.Add", "Uploader.Flush"},
		},
		noRequest: []string{"Client.NewUploader", "Uploader.Result"},
	},
	"uchet": {
		title: "«Статус обновления данных»",
		rows: map[string][]string{
			"GET /api/v2/update_status/": {"Client.UpdateStatus", "Client.PollUpdate", "Client.WaitUpdate"},
			"GET /api/v2/get_bin_info/":  {"Client.CompanyByBIN"},
			"GET /api/v2/get_iin_info/":  {"Client.CompanyByIIN"},
			"GET /api/v2/classifiers/":   {"Client.Classifier"},
			"GET /api/v2/{path}":         {"Client.Get"},
		},
	},
	"uztgs": {
		title: "«Универсальный сервер сбора и обработки данных. Описание Web API»",
		rows: map[string][]string{
			"POST /api/v1/auth/sign_in":                      {"Client.SignIn", "Client.Export"},
			"DELETE /api/v1/auth/sign_out":                   {"Client.SignOut", "Client.Close", "Client.Export"},
			"GET /api/v1/customers":                          {"Client.CustomersPage", "Client.Customers"},
			"GET /api/v1/stations":                           {"Client.StationsPage", "Client.Stations", "Client.Export"},
			"GET /api/v1/channel_data?archive_type=…":        {"Client.ArchivePage", "Client.Archive", "Client.Export"},
			"GET /api/v1/equipment_types":                    {"Client.EquipmentTypesPage", "Client.EquipmentTypes"},
			"GET /api/v1/channel_archive_types":              {"Client.ChannelsPage", "Client.Channels"},
			"GET /api/v1/channel_data?archive_type=settings": {"Client.SettingsPage", "Client.Settings"},
		},
		noRequest: []string{"Client.Stats", "Client.Headers", "Client.StoreErr"},
	},
	"openschool": {
		title: "«Доступ до даних Системи по API (v.1.0)»",
		rows: map[string][]string{
			"GET /api/v1?action=regions":            {"Client.Regions"},
			"GET /api/v1?action=periods":            {"Client.Periods"},
			"GET /api/v1?action=schools":            {"Client.Schools"},
			"GET /api/v1?action=tasks&id_task=":     {"Client.Task"},
			"GET /api/v1?action=tasks&node=":        {"Client.Tasks"},
			"GET /api/v1?action=labels":             {"Client.Labels"},
			"GET /api/v1?action=governmentpayments": {"Client.GovernmentPayments"},
		},
	},
}

// outsideWords reads testdata/outside.txt: the words that would point a
// reader at files outside the repository (the project's notes), which no
// doc may do, and the phrases that are allowed although they hold one. The
// list lives in a data file so that the check is not a hit of its own
// search.
func outsideWords(t *testing.T) (words, allowed []string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "outside.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(string(b)) {
		line = strings.ToLower(strings.TrimSpace(line))
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "!"):
			allowed = append(allowed, line[1:])
		default:
			words = append(words, line)
		}
	}
	return words, allowed
}

// packageDocWords are words, beside those of testdata/outside.txt, that no
// client's package doc may hold at all: there "seed" can only mean a copy
// of a provider's document (test code also uses it for random seeds).
var packageDocWords = []string{"seed"}

var docLink = regexp.MustCompile(`\[\*?([A-Za-z_]\w*)(?:\.([A-Za-z_]\w*))?\]`)

// TestPackageDocsStandAlone checks the package docs of the four clients
// whose documents are short enough to list here: each names the provider's document,
// maps every request to the methods that send it, names every method that
// sends a request, links only to symbols that exist, and mentions no file
// outside the repository.
func TestPackageDocsStandAlone(t *testing.T) {
	words, _ := outsideWords(t)
	outside := append(slices.Clone(packageDocWords), words...)
	for name, want := range apiDocs {
		t.Run(name, func(t *testing.T) {
			text, syms, imports, methods := readPackage(t, filepath.Join("..", "..", name))
			flat := strings.Join(strings.Fields(text), " ")
			if !strings.Contains(flat, want.title) {
				t.Errorf("the package doc does not cite the provider's document %s", want.title)
			}
			low := strings.ToLower(text)
			for _, w := range outside {
				if strings.Contains(low, w) {
					t.Errorf("the package doc mentions %q, something outside the repository", w)
				}
			}
			for _, m := range docLink.FindAllStringSubmatch(text, -1) {
				first, second := m[1], m[2]
				switch {
				case second == "" && !syms[first]:
					t.Errorf("doc link %s names nothing in package %s", m[0], name)
				case second != "" && syms[first] && !syms[first+"."+second]:
					t.Errorf("doc link %s: %s has no method or field %s", m[0], first, second)
				case second != "" && !syms[first] && !imports[first]:
					t.Errorf("doc link %s names neither a type nor an imported package", m[0])
				}
			}
			rows := requestRows(text)
			if len(rows) == 0 {
				t.Fatal(`the package doc has no "# Requests" table`)
			}
			for req, names := range want.rows {
				row, ok := findRow(rows, req)
				if !ok {
					t.Errorf("the Requests table has no row for %s", req)
					continue
				}
				for _, n := range names {
					if !strings.Contains(row, "["+n+"]") {
						t.Errorf("the Requests row of %s does not name [%s]", req, n)
					}
				}
			}
			table := strings.Join(rows, "\n")
			for _, m := range methods {
				if !slices.Contains(want.noRequest, m) && !strings.Contains(table, "["+m+"]") {
					t.Errorf("%s is in no row of the Requests table of %s/doc.go (add it, or list it in noRequest here if it sends no request)", m, name)
				}
			}
		})
	}
}

// readPackage parses the non-test files of the package in dir and returns
// its package doc, its symbols ("Name", "Type.Method", "Type.Field"), the
// names of its imports, and its exported methods of Client and Uploader.
func readPackage(t *testing.T, dir string) (text string, syms, imports map[string]bool, methods []string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var files []*ast.File
	syms, imports = map[string]bool{}, map[string]bool{}
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, n), nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
		for _, im := range f.Imports {
			p := strings.Trim(im.Path.Value, `"`)
			imports[p[strings.LastIndex(p, "/")+1:]] = true
			if im.Name != nil {
				imports[im.Name.Name] = true
			}
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					syms[d.Name.Name] = true
					continue
				}
				recv := receiverName(d.Recv.List[0].Type)
				syms[recv+"."+d.Name.Name] = true
				if d.Name.IsExported() && (recv == "Client" || recv == "Uploader") {
					methods = append(methods, recv+"."+d.Name.Name)
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						syms[s.Name.Name] = true
						if st, ok := s.Type.(*ast.StructType); ok {
							for _, fl := range st.Fields.List {
								for _, fn := range fl.Names {
									syms[s.Name.Name+"."+fn.Name] = true
								}
							}
						}
					case *ast.ValueSpec:
						for _, vn := range s.Names {
							syms[vn.Name] = true
						}
					}
				}
			}
		}
	}
	p, err := doc.NewFromFiles(fset, files, "example.com/"+filepath.Base(dir))
	if err != nil {
		t.Fatal(err)
	}
	return p.Doc, syms, imports, methods
}

func receiverName(e ast.Expr) string {
	for {
		switch x := e.(type) {
		case *ast.StarExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.IndexListExpr:
			e = x.X
		case *ast.Ident:
			return x.Name
		default:
			return ""
		}
	}
}

// requestRows returns the rows of the preformatted table of the section
// "# Requests": a row is a line of the block that starts in the first
// column, with the indented lines that follow it.
func requestRows(text string) []string {
	_, sec, ok := strings.Cut(text, "\n# Requests\n")
	if !ok {
		return nil
	}
	if i := strings.Index(sec, "\n# "); i >= 0 {
		sec = sec[:i]
	}
	var rows []string
	for _, line := range strings.Split(sec, "\n") {
		body, ok := strings.CutPrefix(line, "\t")
		switch {
		case !ok:
		case strings.HasPrefix(body, " ") && len(rows) > 0:
			rows[len(rows)-1] += "\n" + body
		case !strings.HasPrefix(body, " "):
			rows = append(rows, body)
		}
	}
	return rows
}

func findRow(rows []string, req string) (string, bool) {
	for _, r := range rows {
		if strings.HasPrefix(r, req) {
			return r, true
		}
	}
	return "", false
}

// TestNoFileOutsideTheRepositoryCited searches every .go and .md file of
// the module (testdata and dot folders aside) for the words of
// testdata/outside.txt, as whole words in any case, apart from the phrases
// that file allows.
func TestNoFileOutsideTheRepositoryCited(t *testing.T) {
	words, allowedPhrases := outsideWords(t)
	quote := func(list []string) string {
		q := make([]string, len(list))
		for i, w := range list {
			q[i] = regexp.QuoteMeta(w)
		}
		return strings.Join(q, "|")
	}
	word := regexp.MustCompile(`(?i)(^|\W)(` + quote(words) + `)(\W|$)`)
	allowed := regexp.MustCompile(`(?i)` + quote(allowedPhrases))
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); path != root && (strings.HasPrefix(n, ".") || n == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if ext := filepath.Ext(path); ext != ".go" && ext != ".md" {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		n := 0
		for line := range strings.Lines(string(b)) {
			n++
			if word.MatchString(allowed.ReplaceAllString(line, "")) {
				rel, _ := filepath.Rel(root, path)
				t.Errorf("%s:%d cites something outside the repository: %s", rel, n, strings.TrimSpace(line))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
