package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The admin API of AList v3.63.0 and OpenList v4.2.5 (the same paths, fields and envelope in both;
// ../shared/apps/README.md). Every answer is HTTP 200 with {"code", "message", "data"}: code 200 is
// success, anything else an error whose message is the app's (server/common/common.go, ErrorResp and
// ErrorStrResp). The token goes in the Authorization header as it is, with no "Bearer "
// (server/middlewares/auth.go).

// SecretSettingKeys are the settings whose values are secrets, never printed: the OAuth client
// secret (internal/conf/const.go SSOClientSecret, both apps).
var SecretSettingKeys = []string{KeySSOClientSecret}

// AdminClient talks to a running AList or OpenList as an administrator.
type AdminClient struct {
	// BaseURL is the app's address, such as http://127.0.0.1:5244.
	BaseURL string
	// Token is an admin's login token (a JWT) or the static admin token ("alist-…").
	Token string
	// HTTP is the client used; nil means one with a 30 s timeout.
	HTTP *http.Client
}

// Setting is one whole settings item as the app lists and stores it (internal/model/setting.go,
// SettingItem). Saving posts whole items back: the app stores each as sent, so a partial item
// would clear its type, flag and options.
type Setting struct {
	Key     string `json:"key"`
	Value   string `json:"value"`
	Help    string `json:"help"`
	Type    string `json:"type"`
	Options string `json:"options"`
	Group   int    `json:"group"`
	Flag    int    `json:"flag"`
	Index   uint   `json:"index"`
}

// User is an account as /api/me and the admin user list return it (internal/model/user.go;
// /api/me adds role_names and permissions, server/handles/auth.go UserResp).
type User struct {
	ID         uint   `json:"id"`
	Username   string `json:"username"`
	BasePath   string `json:"base_path"`
	Disabled   bool   `json:"disabled"`
	Permission int32  `json:"permission"`
	SSOID      string `json:"sso_id"`
	// Role is AList's list of role ids ([2]) or OpenList's single role number (2).
	Role json.RawMessage `json:"role"`
	// RoleNames and Permissions are only in /api/me on AList (its roles and their merged
	// permission per path).
	RoleNames   []string `json:"role_names,omitempty"`
	Permissions []Scope  `json:"permissions,omitempty"`
}

// APIError is an answer whose code is not 200: the app's own message.
type APIError struct {
	Path    string
	Code    int
	Message string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("%s answered code %d: %s", e.Path, e.Code, e.Message)
}

// NotJSONError is an answer that is not the app's JSON envelope (an HTML page from a proxy or a
// login portal, or another app on that address).
type NotJSONError struct {
	Path        string
	Status      int
	ContentType string
}

func (e *NotJSONError) Error() string {
	ct := e.ContentType
	if ct == "" {
		ct = "no content type"
	}
	return fmt.Sprintf("%s answered HTTP %d with %s instead of JSON", e.Path, e.Status, ct)
}

// UnreachableError is a request that got no answer.
type UnreachableError struct {
	URL string
	Err error
}

func (e *UnreachableError) Error() string { return fmt.Sprintf("cannot reach %s: %v", e.URL, e.Err) }
func (e *UnreachableError) Unwrap() error { return e.Err }

// IsAuthError reports whether err is the app refusing the token (code 401, or 403 on an admin path).
func IsAuthError(err error) bool {
	var a *APIError
	return errors.As(err, &a) && (a.Code == 401 || (a.Code == 403 && strings.HasPrefix(a.Path, "/api/admin/")))
}

type envelope struct {
	Code    int             `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data"`
}

// call sends one request and decodes the envelope's data into out (when out is not nil).
func (c *AdminClient) call(ctx context.Context, method, path string, query url.Values, body, out any) error {
	u := strings.TrimSuffix(c.BaseURL, "/") + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.Token != "" {
		req.Header.Set("Authorization", c.Token)
	}
	hc := c.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	resp, err := hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return &UnreachableError{URL: strings.TrimSuffix(c.BaseURL, "/"), Err: unwrapURLError(err)}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return &UnreachableError{URL: strings.TrimSuffix(c.BaseURL, "/"), Err: err}
	}
	ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	var env envelope
	if ct != "application/json" || json.Unmarshal(raw, &env) != nil || env.Code == 0 {
		return &NotJSONError{Path: path, Status: resp.StatusCode, ContentType: ct}
	}
	if env.Code != 200 {
		return &APIError{Path: path, Code: env.Code, Message: env.Message}
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(env.Data, out); err != nil {
		return fmt.Errorf("%s answered data of an unexpected shape: %w", path, err)
	}
	return nil
}

func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// Login signs a local user in (POST /api/auth/login, server/handles/auth.go) and returns a client
// holding the user's token.
func Login(ctx context.Context, baseURL, username, password string) (*AdminClient, error) {
	c := &AdminClient{BaseURL: baseURL}
	var out struct {
		Token string `json:"token"`
	}
	if err := c.call(ctx, http.MethodPost, "/api/auth/login", nil, map[string]string{"username": username, "password": password}, &out); err != nil {
		return nil, err
	}
	c.Token = out.Token
	return c, nil
}

// WithToken is a client for the same app with another user's token.
func (c *AdminClient) WithToken(token string) *AdminClient {
	return &AdminClient{BaseURL: c.BaseURL, Token: token, HTTP: c.HTTP}
}

// Settings lists one settings group (GET /api/admin/setting/list?group=N).
func (c *AdminClient) Settings(ctx context.Context, group int) ([]Setting, error) {
	var out []Setting
	err := c.call(ctx, http.MethodGet, "/api/admin/setting/list", url.Values{"group": {strconv.Itoa(group)}}, nil, &out)
	return out, err
}

// Setting reads one setting (GET /api/admin/setting/get?key=K).
func (c *AdminClient) Setting(ctx context.Context, key string) (Setting, error) {
	var out Setting
	err := c.call(ctx, http.MethodGet, "/api/admin/setting/get", url.Values{"key": {key}}, nil, &out)
	return out, err
}

// SaveSettings stores whole items (POST /api/admin/setting/save). Pass items as Settings listed
// them, with only Value changed.
//
// default_role is listed and stored as a role id, but AList's save takes a role name: it looks the
// value up with op.GetRoleByName, refuses admin and guest, and stores the id (server/handles/setting.go
// SaveSettings, v3.63.0). A numeric default_role is sent as the name of the role with that id.
func (c *AdminClient) SaveSettings(ctx context.Context, items []Setting) error {
	items = slices.Clone(items)
	for i, it := range items {
		id, err := strconv.Atoi(strings.TrimSpace(it.Value))
		if it.Key != KeyDefaultRole || err != nil {
			continue
		}
		roles, err := c.Roles(ctx)
		if err != nil {
			return err
		}
		for _, r := range roles {
			if r.ID == id {
				items[i].Value = r.Name
			}
		}
	}
	return c.call(ctx, http.MethodPost, "/api/admin/setting/save", nil, items, nil)
}

// Version is the app's version setting: "v3.63.0", or OpenList's "v4.2.5 (Commit: …) - …". It is
// public (GET /api/public/settings), so it needs no admin right.
func (c *AdminClient) Version(ctx context.Context) (string, error) {
	var out map[string]any
	if err := c.call(ctx, http.MethodGet, "/api/public/settings", nil, nil, &out); err != nil {
		return "", err
	}
	v, _ := out["version"].(string)
	if v == "" {
		return "", errors.New("/api/public/settings has no version")
	}
	return v, nil
}

// Users lists every account (GET /api/admin/user/list, first 1000).
func (c *AdminClient) Users(ctx context.Context) ([]User, error) {
	var out struct {
		Content []User `json:"content"`
	}
	err := c.call(ctx, http.MethodGet, "/api/admin/user/list", url.Values{"page": {"1"}, "per_page": {"1000"}}, nil, &out)
	return out.Content, err
}

// Me is the token's user (GET /api/me).
func (c *AdminClient) Me(ctx context.Context) (User, error) {
	var out User
	err := c.call(ctx, http.MethodGet, "/api/me", nil, nil, &out)
	return out, err
}

// UpdateMe changes the token's own username, password (when not empty) and SSO id
// (POST /api/me/update, server/handles/auth.go UpdateCurrent): how a user binds an SSO account.
func (c *AdminClient) UpdateMe(ctx context.Context, username, password, ssoID string) error {
	return c.call(ctx, http.MethodPost, "/api/me/update", nil, map[string]string{"username": username, "password": password, "sso_id": ssoID}, nil)
}

// CreateUser adds a local account (POST /api/admin/user/create). role is AList's role id list or
// OpenList's role number, as json.RawMessage.
func (c *AdminClient) CreateUser(ctx context.Context, username, password string, role json.RawMessage) error {
	u := map[string]any{"username": username, "password": password, "base_path": "/", "role": role}
	return c.call(ctx, http.MethodPost, "/api/admin/user/create", nil, u, nil)
}

// Roles lists AList's roles (GET /api/admin/role/list; AList ≥ 3.46 only).
func (c *AdminClient) Roles(ctx context.Context) ([]Role, error) {
	var out struct {
		Content []Role `json:"content"`
	}
	err := c.call(ctx, http.MethodGet, "/api/admin/role/list", url.Values{"page": {"1"}, "per_page": {"100"}}, nil, &out)
	return out.Content, err
}

// CreateRole adds an AList role (POST /api/admin/role/create).
func (c *AdminClient) CreateRole(ctx context.Context, r Role) error {
	return c.call(ctx, http.MethodPost, "/api/admin/role/create", nil, r, nil)
}

// UpdateRole stores a whole role (POST /api/admin/role/update).
func (c *AdminClient) UpdateRole(ctx context.Context, r Role) error {
	return c.call(ctx, http.MethodPost, "/api/admin/role/update", nil, r, nil)
}

// AddLocalStorage mounts a directory of this machine at mountPath (POST /api/admin/storage/create,
// driver "Local", drivers/local/meta.go root_folder_path).
func (c *AdminClient) AddLocalStorage(ctx context.Context, mountPath, dir string) error {
	add, _ := json.Marshal(map[string]any{"root_folder_path": dir})
	s := map[string]any{"mount_path": mountPath, "driver": "Local", "addition": string(add), "order": 0}
	return c.call(ctx, http.MethodPost, "/api/admin/storage/create", nil, s, nil)
}

// Mkdir creates a folder (POST /api/fs/mkdir); the app checks the write right first
// (server/handles/fsmanage.go FsMkdir).
func (c *AdminClient) Mkdir(ctx context.Context, path string) error {
	return c.call(ctx, http.MethodPost, "/api/fs/mkdir", nil, map[string]string{"path": path}, nil)
}

// List lists a folder's entry names (POST /api/fs/list, without refresh, which needs the write right).
func (c *AdminClient) List(ctx context.Context, path string) ([]string, error) {
	var out struct {
		Content []struct {
			Name string `json:"name"`
		} `json:"content"`
	}
	if err := c.call(ctx, http.MethodPost, "/api/fs/list", nil, map[string]any{"path": path}, &out); err != nil {
		return nil, err
	}
	names := make([]string, 0, len(out.Content))
	for _, e := range out.Content {
		names = append(names, e.Name)
	}
	return names, nil
}
