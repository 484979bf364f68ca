#include "support/power_cut_vfs.h"

#include <dlfcn.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace fieldflow::test {

namespace {

struct Write {
    std::int64_t offset;
    std::string bytes;
};
struct Truncate {
    std::int64_t size;
};
using Change = std::variant<Write, Truncate>;

// One file's data as the disk holds it: `durable` as of its last sync, and
// what came after.
struct Inode {
    std::string durable;
    std::vector<Change> pending;
};

void put(std::string& content, const Write& w) {
    auto end = static_cast<std::size_t>(w.offset) + w.bytes.size();
    if (content.size() < end) content.resize(end, '\0');
    content.replace(static_cast<std::size_t>(w.offset), w.bytes.size(), w.bytes);
}

void put(std::string& content, const Change& change) {
    if (const auto* w = std::get_if<Write>(&change))
        put(content, *w);
    else
        content.resize(static_cast<std::size_t>(std::get<Truncate>(change).size), '\0');
}

std::string read_whole(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

constexpr std::int64_t sector = 512;

}  // namespace

struct PowerCut::Model {
    struct Entry {
        std::shared_ptr<Inode> current;  // the file the name is now; null when deleted
        std::shared_ptr<Inode> on_disk;  // the file the name is after a cut; null: none
    };

    std::filesystem::path watched;
    std::mutex mutex;
    std::map<std::string, Entry> names;
    std::uint64_t calls = 0;
    std::uint64_t cut_at = 0;  // 0: unarmed
    bool dead = false;
    sqlite3_vfs* unix_vfs = nullptr;
    sqlite3_vfs vfs{};

    bool watches(const char* path) const {
        if (path == nullptr) return false;
        std::string p(path), root = watched.string();
        return p.size() > root.size() && p.compare(0, root.size(), root) == 0 &&
               p[root.size()] == '/';
    }

    std::string last_call;  // the call the power went off at

    // A modelled call under the lock: false when the power is off, or goes
    // off with this call (`call` of a file of `kind`).
    bool powered(const char* call, const char* kind) {
        if (dead) return false;
        ++calls;
        if (cut_at != 0 && calls >= cut_at) {
            dead = true;
            last_call = std::string(call) + " " + kind;
        }
        return !dead;
    }

    static const char* kind_of(const std::string& name) {
        auto ends = [&](std::string_view tail) {
            return name.size() >= tail.size() &&
                   name.compare(name.size() - tail.size(), tail.size(), tail) == 0;
        };
        if (ends("-wal")) return "WAL";
        if (ends("-journal")) return "journal";
        return "database";
    }

    void sync(Inode& inode) {
        for (const auto& change : inode.pending) put(inode.durable, change);
        inode.pending.clear();
    }

    // Every name in `dir` now names on the disk the file it names now.
    void sync_directory(const std::filesystem::path& dir) {
        for (auto& [name, entry] : names)
            if (std::filesystem::path(name).parent_path() == dir) entry.on_disk = entry.current;
    }

    std::shared_ptr<Inode> current(const std::string& path) {
        auto found = names.find(path);
        return found == names.end() ? nullptr : found->second.current;
    }
};

namespace {

// The one PowerCut alive, for the VFS's C callbacks and fsync's replacement.
PowerCut::Model* active = nullptr;

struct File {
    sqlite3_file base;  // first: SQLite hands this pointer back
    sqlite3_file* real;
    std::shared_ptr<Inode>* inode;  // null when not watched
    std::filesystem::path* directory;
    bool sync_directory_once;
    std::string* name;
};

File& file(sqlite3_file* f) {
    return *reinterpret_cast<File*>(f);
}

int x_close(sqlite3_file* f) {
    auto& me = file(f);
    int rc = me.real->pMethods->xClose(me.real);
    delete me.inode;
    delete me.directory;
    delete me.name;
    me.inode = nullptr;
    me.directory = nullptr;
    me.name = nullptr;
    return rc;
}

int x_read(sqlite3_file* f, void* buffer, int amount, sqlite3_int64 offset) {
    auto& me = file(f);
    return me.real->pMethods->xRead(me.real, buffer, amount, offset);
}

int x_write(sqlite3_file* f, const void* buffer, int amount, sqlite3_int64 offset) {
    auto& me = file(f);
    if (me.inode == nullptr) return me.real->pMethods->xWrite(me.real, buffer, amount, offset);
    std::lock_guard lock(active->mutex);
    if (!active->powered("write", PowerCut::Model::kind_of(*me.name))) return SQLITE_IOERR_WRITE;
    int rc = me.real->pMethods->xWrite(me.real, buffer, amount, offset);
    if (rc == SQLITE_OK)
        (*me.inode)->pending.push_back(
            Write{offset,
                  std::string(static_cast<const char*>(buffer), static_cast<std::size_t>(amount))});
    return rc;
}

int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
    auto& me = file(f);
    if (me.inode == nullptr) return me.real->pMethods->xTruncate(me.real, size);
    std::lock_guard lock(active->mutex);
    if (!active->powered("truncate", PowerCut::Model::kind_of(*me.name)))
        return SQLITE_IOERR_TRUNCATE;
    int rc = me.real->pMethods->xTruncate(me.real, size);
    if (rc == SQLITE_OK) (*me.inode)->pending.push_back(Truncate{size});
    return rc;
}

// The real sync is left out: the model knows what it would have made durable.
int x_sync(sqlite3_file* f, int flags) {
    auto& me = file(f);
    if (me.inode == nullptr) return me.real->pMethods->xSync(me.real, flags);
    std::lock_guard lock(active->mutex);
    if (!active->powered("sync", PowerCut::Model::kind_of(*me.name))) return SQLITE_IOERR_FSYNC;
    active->sync(**me.inode);
    if (me.sync_directory_once) {
        active->sync_directory(*me.directory);
        me.sync_directory_once = false;
    }
    return SQLITE_OK;
}

int x_file_size(sqlite3_file* f, sqlite3_int64* size) {
    auto& me = file(f);
    return me.real->pMethods->xFileSize(me.real, size);
}
int x_lock(sqlite3_file* f, int level) {
    auto& me = file(f);
    return me.real->pMethods->xLock(me.real, level);
}
int x_unlock(sqlite3_file* f, int level) {
    auto& me = file(f);
    return me.real->pMethods->xUnlock(me.real, level);
}
int x_check_reserved_lock(sqlite3_file* f, int* out) {
    auto& me = file(f);
    return me.real->pMethods->xCheckReservedLock(me.real, out);
}
int x_file_control(sqlite3_file* f, int op, void* arg) {
    auto& me = file(f);
    return me.real->pMethods->xFileControl(me.real, op, arg);
}
int x_sector_size(sqlite3_file* f) {
    auto& me = file(f);
    return me.real->pMethods->xSectorSize(me.real);
}
int x_device_characteristics(sqlite3_file* f) {
    auto& me = file(f);
    return me.real->pMethods->xDeviceCharacteristics(me.real);
}
int x_shm_map(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
    auto& me = file(f);
    return me.real->pMethods->xShmMap(me.real, page, size, extend, out);
}
int x_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
    auto& me = file(f);
    return me.real->pMethods->xShmLock(me.real, offset, n, flags);
}
void x_shm_barrier(sqlite3_file* f) {
    auto& me = file(f);
    me.real->pMethods->xShmBarrier(me.real);
}
int x_shm_unmap(sqlite3_file* f, int delete_flag) {
    auto& me = file(f);
    return me.real->pMethods->xShmUnmap(me.real, delete_flag);
}
int x_fetch(sqlite3_file* f, sqlite3_int64 offset, int amount, void** out) {
    auto& me = file(f);
    return me.real->pMethods->xFetch(me.real, offset, amount, out);
}
int x_unfetch(sqlite3_file* f, sqlite3_int64 offset, void* page) {
    auto& me = file(f);
    return me.real->pMethods->xUnfetch(me.real, offset, page);
}

const sqlite3_io_methods methods = {
    3,
    x_close,
    x_read,
    x_write,
    x_truncate,
    x_sync,
    x_file_size,
    x_lock,
    x_unlock,
    x_check_reserved_lock,
    x_file_control,
    x_sector_size,
    x_device_characteristics,
    x_shm_map,
    x_shm_lock,
    x_shm_barrier,
    x_shm_unmap,
    x_fetch,
    x_unfetch,
};

int x_open(sqlite3_vfs*, const char* name, sqlite3_file* f, int flags, int* out_flags) {
    auto& me = file(f);
    me.base.pMethods = nullptr;
    me.real = reinterpret_cast<sqlite3_file*>(&me + 1);
    me.inode = nullptr;
    me.directory = nullptr;
    me.sync_directory_once = false;
    me.name = nullptr;
    auto* unix_vfs = active->unix_vfs;
    if (!active->watches(name)) {
        int rc = unix_vfs->xOpen(unix_vfs, name, me.real, flags, out_flags);
        if (me.real->pMethods != nullptr) me.base.pMethods = &methods;
        return rc;
    }
    std::lock_guard lock(active->mutex);
    struct stat st {};
    bool existed = ::stat(name, &st) == 0;
    if (!existed && active->dead) return SQLITE_CANTOPEN;
    int rc = unix_vfs->xOpen(unix_vfs, name, me.real, flags, out_flags);
    if (me.real->pMethods != nullptr) me.base.pMethods = &methods;
    if (rc != SQLITE_OK) return rc;
    auto& entry = active->names[name];
    if (!existed) {
        entry.current = std::make_shared<Inode>();
    } else if (!entry.current) {
        // Met for the first time: what the disk holds now is durable.
        entry.current = std::make_shared<Inode>(Inode{read_whole(name), {}});
        entry.on_disk = entry.current;
    }
    me.inode = new std::shared_ptr<Inode>(entry.current);
    me.directory = new std::filesystem::path(std::filesystem::path(name).parent_path());
    me.name = new std::string(name);
    int type = flags & 0x0FFF00;
    me.sync_directory_once = (flags & SQLITE_OPEN_CREATE) != 0 &&
                             (type == SQLITE_OPEN_WAL || type == SQLITE_OPEN_MAIN_JOURNAL ||
                              type == SQLITE_OPEN_SUPER_JOURNAL);
    return SQLITE_OK;
}

int x_delete(sqlite3_vfs*, const char* name, int sync_directory) {
    auto* unix_vfs = active->unix_vfs;
    if (!active->watches(name)) return unix_vfs->xDelete(unix_vfs, name, sync_directory);
    std::lock_guard lock(active->mutex);
    if (!active->powered("delete", PowerCut::Model::kind_of(name))) return SQLITE_IOERR_DELETE;
    auto& entry = active->names[name];
    if (!entry.current && !entry.on_disk) {
        // Met for the first time, as it goes: what the disk held is durable.
        entry.on_disk = std::make_shared<Inode>(Inode{read_whole(name), {}});
    }
    int rc = unix_vfs->xDelete(unix_vfs, name, 0);
    if (rc != SQLITE_OK) return rc;
    entry.current = nullptr;
    if (sync_directory) active->sync_directory(std::filesystem::path(name).parent_path());
    return SQLITE_OK;
}

// The name an open descriptor has, when it is one of the watched files or
// folders; empty otherwise.
std::string watched_name(int fd) {
    char link[64];
    std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    char target[4096];
    auto n = ::readlink(link, target, sizeof target - 1);
    if (n <= 0) return {};
    target[n] = '\0';
    std::string path(target);
    if (path == active->watched.string() || active->watches(target)) return path;
    return {};
}

// fsync and fdatasync of a watched file or folder, as the model sees them:
// true when modelled, with `result` what the call returns.
bool modelled_sync(int fd, int& result) {
    if (active == nullptr) return false;
    std::string name = watched_name(fd);
    if (name.empty()) return false;
    struct stat st {};
    if (::fstat(fd, &st) != 0) return false;
    std::lock_guard lock(active->mutex);
    if (!active->powered("fsync",
                         S_ISDIR(st.st_mode) ? "directory" : PowerCut::Model::kind_of(name))) {
        errno = EIO;
        result = -1;
        return true;
    }
    if (S_ISDIR(st.st_mode)) {
        active->sync_directory(name);
    } else if (auto inode = active->current(name)) {
        active->sync(*inode);
    }
    result = 0;
    return true;
}

}  // namespace

PowerCut::PowerCut(std::filesystem::path watched) : model_(std::make_unique<Model>()) {
    if (active != nullptr) throw std::logic_error("one PowerCut at a time");
    model_->watched = std::filesystem::weakly_canonical(watched);
    model_->unix_vfs = sqlite3_vfs_find("unix");
    if (model_->unix_vfs == nullptr) throw std::runtime_error("SQLite has no unix VFS");
    model_->vfs = *model_->unix_vfs;
    model_->vfs.zName = "fieldflow-power-cut";
    model_->vfs.pNext = nullptr;
    // Its own handle first, the unix VFS's after it, 8-byte aligned.
    model_->vfs.szOsFile =
        static_cast<int>((sizeof(File) + 7) / 8 * 8) + model_->unix_vfs->szOsFile;
    model_->vfs.xOpen = x_open;
    model_->vfs.xDelete = x_delete;
    active = model_.get();
    if (sqlite3_vfs_register(&model_->vfs, 1) != SQLITE_OK) {
        active = nullptr;
        throw std::runtime_error("cannot register the power-cut VFS");
    }
}

PowerCut::~PowerCut() {
    sqlite3_vfs_unregister(&model_->vfs);
    sqlite3_vfs_register(model_->unix_vfs, 1);
    active = nullptr;
}

void PowerCut::arm(std::uint64_t calls) {
    std::lock_guard lock(model_->mutex);
    model_->cut_at = model_->calls + calls;
}

void PowerCut::disarm() {
    std::lock_guard lock(model_->mutex);
    model_->cut_at = 0;
}

std::string PowerCut::cut_call() const {
    std::lock_guard lock(model_->mutex);
    return model_->dead ? model_->last_call : std::string();
}

bool PowerCut::cut() const {
    std::lock_guard lock(model_->mutex);
    return model_->dead;
}

std::uint64_t PowerCut::calls() const {
    std::lock_guard lock(model_->mutex);
    return model_->calls;
}

void PowerCut::restore(Tear tear, std::mt19937& random) {
    std::lock_guard lock(model_->mutex);
    for (auto& [name, entry] : model_->names) {
        std::filesystem::remove(name);
        if (!entry.on_disk) continue;
        std::string content = entry.on_disk->durable;
        if (tear == Tear::sectors) {
            for (const auto& change : entry.on_disk->pending) {
                if (random() % 2 == 0) continue;
                const auto* w = std::get_if<Write>(&change);
                if (w == nullptr) {
                    put(content, change);
                    continue;
                }
                // Sector by sector, as the disk may have kept any of them.
                for (std::int64_t at = w->offset; at < w->offset + std::int64_t(w->bytes.size());) {
                    std::int64_t end = std::min<std::int64_t>(
                        (at / sector + 1) * sector, w->offset + std::int64_t(w->bytes.size()));
                    if (random() % 2 == 0)
                        put(content,
                            Write{at, w->bytes.substr(static_cast<std::size_t>(at - w->offset),
                                                      static_cast<std::size_t>(end - at))});
                    at = end;
                }
            }
        }
        std::ofstream out(name, std::ios::binary | std::ios::trunc);
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
        if (!out) throw std::runtime_error("cannot restore " + name);
    }
    for (const auto& f : std::filesystem::recursive_directory_iterator(model_->watched)) {
        auto path = f.path().string();
        if (path.size() > 4 && path.compare(path.size() - 4, 4, "-shm") == 0)
            std::filesystem::remove(f.path());
    }
    model_->names.clear();
    model_->dead = false;
    model_->cut_at = 0;
}

}  // namespace fieldflow::test

// The C library's, for every descriptor the model does not watch.
extern "C" int fsync(int fd) {
    static auto* real = reinterpret_cast<int (*)(int)>(dlsym(RTLD_NEXT, "fsync"));
    int result = 0;
    if (fieldflow::test::modelled_sync(fd, result)) return result;
    return real(fd);
}

extern "C" int fdatasync(int fd) {
    static auto* real = reinterpret_cast<int (*)(int)>(dlsym(RTLD_NEXT, "fdatasync"));
    int result = 0;
    if (fieldflow::test::modelled_sync(fd, result)) return result;
    return real(fd);
}
