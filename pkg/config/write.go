package config

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/gofrs/flock"
)

// LockTimeout bounds the wait for another writer when the caller's context has no deadline. Writers
// hold the lock only while they re-read, edit and write the file, which takes milliseconds.
const LockTimeout = 30 * time.Second

// lockRetry is how often a blocked writer tries the lock again.
const lockRetry = 10 * time.Millisecond

// LockError is a lock on the config file that could not be taken.
type LockError struct {
	// Path is the lock file, "<config file>.lock".
	Path string
	Err  error
}

func (e *LockError) Error() string {
	if errors.Is(e.Err, context.DeadlineExceeded) {
		return fmt.Sprintf("another ssoctl command held the lock %s for too long", e.Path)
	}
	if errors.Is(e.Err, context.Canceled) {
		return fmt.Sprintf("interrupted while waiting for the lock %s", e.Path)
	}
	return fmt.Sprintf("cannot lock %s: %v", e.Path, unwrapPathError(e.Err))
}

func (e *LockError) Unwrap() error { return e.Err }

// ExitCode makes a lock failure a failed command (exit 1).
func (e *LockError) ExitCode() int { return 1 }

// Hint says what to do.
func (e *LockError) Hint() string {
	if errors.Is(e.Err, context.DeadlineExceeded) {
		return "wait for the other command to finish and try again; the lock is released when that process exits"
	}
	if errors.Is(e.Err, fs.ErrPermission) {
		return "check that you may write to the config file's directory"
	}
	return ""
}

// WriteError is a config file that could not be written. The old file is left as it was.
type WriteError struct {
	Path string
	Err  error
}

func (e *WriteError) Error() string {
	return fmt.Sprintf("cannot write config file %s: %v", e.Path, unwrapPathError(e.Err))
}

func (e *WriteError) Unwrap() error { return e.Err }

// ExitCode makes a failed write a failed command (exit 1).
func (e *WriteError) ExitCode() int { return 1 }

// Hint says that nothing was lost and what to check.
func (e *WriteError) Hint() string {
	switch {
	case errors.Is(e.Err, syscall.ENOSPC), errors.Is(e.Err, syscall.EDQUOT):
		return "the file was left unchanged; free some disk space and try again"
	case errors.Is(e.Err, fs.ErrPermission), errors.Is(e.Err, syscall.EROFS):
		return fmt.Sprintf("the file was left unchanged; check that you may write to %s", filepath.Dir(e.Path))
	}
	return "the file was left unchanged"
}

// Update changes the config file at path safely:
//
//   - it takes an exclusive lock on the sidecar file "<real path>.lock" (gofrs/flock), waiting while
//     another writer holds it until ctx is done, or LockTimeout when ctx has no deadline; the lock
//     file is removed again when the lock is released (see lock for why that is safe);
//   - it re-reads the file under the lock (LoadOrNew: a missing file starts empty), so that a change
//     made by another process meanwhile is kept;
//   - it refuses a file it cannot read (*NotEditableError), before calling fn;
//   - it calls fn, which edits f with AddProvider, SetProviderValue and the like; fn must not prompt,
//     since other writers wait for it;
//   - when fn returns nil and the content changed, it writes the file atomically with google/renameio:
//     a temporary file in the same directory, fsync, rename over the old file, fsync of the directory.
//     A crash at any moment leaves either the old or the new file. Symlinks are written through to
//     their target (File.RealPath). An existing file keeps its mode (and, when run as root, its owner);
//     a new file gets mode 0600 and missing parent directories 0700.
//
// A writer killed between creating and renaming its temporary file leaves it behind, named
// ".<file name><random digits>"; the next Update removes such files while it holds the lock.
func Update(ctx context.Context, path string, fn func(f *File) error) error {
	return UpdateWith(ctx, path, UpdateOptions{}, fn)
}

// UpdateOptions add checks to Update.
type UpdateOptions struct {
	// Check is called under the lock after fn changed the file and before it is written, with the
	// file as it was read (before) and as fn left it (after); an error stops the write and is
	// returned, and the file stays as it was. Commands pass validate's check here, so that no edit
	// writes a file with an error the file did not have.
	Check func(before, after *File) error
	// Loaded is the file as the command loaded it before the update, if it did; when the file still
	// holds the same bytes under the lock, its parse is reused instead of parsing the file again,
	// which for a large file saves a node tree and a decoded config.
	Loaded *File
}

// UpdateWith is Update with options.
func UpdateWith(ctx context.Context, path string, opts UpdateOptions, fn func(f *File) error) error {
	real, err := realPath(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return &ReadError{Path: path, Err: err}
	}
	if real == "" {
		real = path
	}
	// Before the lock file or a parent directory is created: a device, pipe or directory given as
	// the config is left exactly as it was.
	if err := checkRegular(path, real); err != nil {
		return err
	}
	if err := checkWritable(path, real); err != nil {
		return err
	}
	dir := filepath.Dir(real)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return &WriteError{Path: path, Err: err}
	}
	unlock, err := lock(ctx, real+".lock")
	if err != nil {
		return err
	}
	defer unlock()

	f, err := loadOrNew(ctx, path, opts.Loaded)
	if err != nil {
		var pe *ParseError
		if errors.As(err, &pe) {
			return &NotEditableError{Path: path, Err: err}
		}
		return err
	}
	if err := f.CheckVersion(); err != nil {
		return err
	}
	if f.DecodeErr != nil {
		return &NotEditableError{Path: path, Err: f.DecodeErr}
	}
	// Edits replace Data, Doc and Config rather than change them in place, so a shallow copy keeps
	// the file as it was read.
	before := *f
	if err := fn(f); err != nil {
		return err
	}
	if bytes.Equal(before.Data, f.Data) && (f.Exists || len(f.Data) == 0) {
		return nil
	}
	if !f.upToDate() {
		// fn set Data directly; never write what would not load again. (The edits parse their result
		// themselves.)
		nf, err := Parse(path, f.Data)
		if err != nil {
			return &EditError{Path: path, Op: "write " + path, Reason: err.Error(), Code: 2}
		}
		if nf.DecodeErr != nil {
			return &EditError{Path: path, Op: "write " + path, Reason: nf.DecodeErr.Error(), Code: 2}
		}
		f.Doc, f.Config, f.Format, f.parsed = nf.Doc, nf.Config, nf.Format, f.Data
	}
	if opts.Check != nil {
		if err := opts.Check(&before, f); err != nil {
			return err
		}
	}
	removeStaleTemps(f.RealPath)
	return writeAtomic(f)
}

// lock takes the exclusive lock at path, waiting until ctx is done. The returned func removes the lock
// file and then releases the lock, so that no "<file>.lock" is left beside the config (where it would
// show up in git status). Removing it is safe with the classic protocol: a writer that locks a file
// then checks that path still names the file it locked (the same inode); when the previous holder
// removed it, or a newer writer created a new one there, the writer unlocks and tries again on the
// file path names now. The holder removes the file before it unlocks, so whoever locks a removed file
// sees that it was removed. A lock file a killed writer left behind is simply locked and removed by
// the next writer. Where an open file cannot be removed (Windows) the file stays, which is harmless.
func lock(ctx context.Context, path string) (func(), error) {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, LockTimeout)
		defer cancel()
	}
	for {
		fl := flock.New(path, flock.SetPermissions(0o600))
		ok, err := fl.TryLockContext(ctx, lockRetry)
		if err != nil || !ok {
			if err == nil {
				err = ctx.Err()
			}
			return nil, &LockError{Path: path, Err: err}
		}
		lockTaken()
		if lockedPathCurrent(fl, path) {
			return func() {
				_ = os.Remove(path)
				lockFileRemoved()
				_ = fl.Unlock()
			}, nil
		}
		// The file was removed (or replaced) after we opened it and before we locked it.
		_ = fl.Unlock()
	}
}

// lockTaken is called when a lock is taken, before it is checked; a test removes the lock file there,
// as a previous holder may do between a writer's open and its flock.
var lockTaken = func() {}

// lockFileRemoved is called on release between removing the lock file and unlocking it; a test
// checks there that the file is gone while the lock is still held.
var lockFileRemoved = func() {}

// lockedPathCurrent reports whether path still names the file fl holds locked.
func lockedPathCurrent(fl *flock.Flock, path string) bool {
	held, err := fl.Stat()
	if err != nil {
		return false
	}
	now, err := os.Stat(path)
	return err == nil && os.SameFile(held, now)
}

// pendingFile is a temporary file that replaces its destination when closed.
type pendingFile interface {
	io.Writer
	Chown(uid, gid int) error
	CloseAtomicallyReplace() error
	Cleanup() error
}

// writeData writes the new content to the temporary file; tests replace it to simulate a full disk.
var writeData = func(w io.Writer, data []byte) error {
	_, err := w.Write(data)
	return err
}

func writeAtomic(f *File) error {
	real := f.RealPath
	if real == "" {
		real = f.Path
	}
	// Again under the lock: the path may have been replaced since Update looked.
	if err := checkRegular(f.Path, real); err != nil {
		return err
	}
	if err := checkWritable(f.Path, real); err != nil {
		return err
	}
	perm := fs.FileMode(0o600)
	var owner fs.FileInfo
	if fi, err := os.Stat(real); err == nil {
		perm, owner = fi.Mode().Perm(), fi
	}
	pf, err := newPending(real, perm)
	if err != nil {
		return &WriteError{Path: f.Path, Err: err}
	}
	defer func() { _ = pf.Cleanup() }()
	if owner != nil {
		keepOwner(pf, owner)
	}
	if err := writeData(pf, f.Data); err != nil {
		return &WriteError{Path: f.Path, Err: err}
	}
	if err := pf.CloseAtomicallyReplace(); err != nil {
		return &WriteError{Path: f.Path, Err: err}
	}
	syncDir(filepath.Dir(real))
	f.Exists, f.Mode, f.RealPath = true, perm, real
	return nil
}

// syncDir makes the rename durable. Some systems cannot sync a directory; the rename has happened
// either way, so errors are ignored.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}

// removeStaleTemps removes temporary files that a killed writer left next to path. renameio names them
// "." + base name + a random non-negative int64; the caller holds the lock, so none is in use.
func removeStaleTemps(path string) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	prefix := "." + base
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), prefix)
		if !ok || len(rest) < 10 || strings.Trim(rest, "0123456789") != "" || !e.Type().IsRegular() {
			continue
		}
		_ = os.Remove(filepath.Join(dir, e.Name()))
	}
}

// WriteFileAtomic writes data to path through a temporary file in the same directory that replaces
// path only once it is complete and synced, so a reader or a crash sees the old or the new file,
// never a torn one. It is what the config writes use, for ssoctl's other files (saved login results);
// unlike renameio.WriteFile it also builds for Windows. Like the config writes, it refuses a path
// that exists and is no regular file (*NotRegularError); a symlink is replaced, not followed.
func WriteFileAtomic(path string, data []byte, perm fs.FileMode) error {
	if err := checkRegular(path, path); err != nil {
		return err
	}
	pf, err := newPending(path, perm)
	if err != nil {
		return err
	}
	defer pf.Cleanup()
	if _, err := pf.Write(data); err != nil {
		return err
	}
	return pf.CloseAtomicallyReplace()
}
