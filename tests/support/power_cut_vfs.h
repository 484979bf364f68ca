#pragma once
// A power cut for SQLite files, in the test's own process.
//
// Killing a process loses nothing the process had handed to the kernel:
// its page cache reaches the disk all the same. A power cut loses every
// write no completed sync covered, and may keep some of them in part, in
// any order, sector by sector. PowerCut models that for the files under one
// folder: it becomes SQLite's default VFS (every connection of the process,
// SQLiteCpp's and the store's alike, opens through it), passes each write
// on to the real file so that every connection sees what it would, and
// keeps beside it what a disk would still hold after a cut:
//
//  - per file, its content as of its last completed sync, and the writes
//    and truncations since, in order;
//  - per directory entry, which file it names on the disk: a new file
//    exists after a cut only once its directory was synced (SQLite's unix
//    VFS syncs the directory at the first sync of a journal or WAL it
//    opened with SQLITE_OPEN_CREATE; a program may fsync the directory
//    itself), and a deleted file comes back unless the deletion asked for
//    a directory sync.
//
// A sync by SQLite (xSync) and a sync a program makes on its own file
// descriptor (fsync or fdatasync, as the gateway's sync stage does on the
// WAL) both count: this file replaces the C library's fsync and fdatasync
// in any program that links it, and passes the ones it does not model on.
// The modelled syncs never reach the real disk, which keeps a thousand
// cuts fast.
//
// arm(n) cuts the power at the n-th write, truncation, sync or deletion
// from then on: that call and every later one fails as an I/O error and
// changes nothing, so the program under test can close its connections
// without touching what the disk holds. Once they are closed, restore()
// writes the files back as the disk would have them and forgets the model:
// what is on the disk now is durable.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <random>
#include <string>

namespace fieldflow::test {

class PowerCut {
  public:
    // What survives of the writes no sync covered.
    enum class Tear {
        none,     // nothing: every file as of its last sync
        sectors,  // each 512-byte sector of each such write, kept or lost at random
    };

    // Becomes SQLite's default VFS while it lives; one at a time.
    explicit PowerCut(std::filesystem::path watched);
    ~PowerCut();
    PowerCut(const PowerCut&) = delete;
    PowerCut& operator=(const PowerCut&) = delete;

    // Cuts at the `calls`-th modelled call from now (1: the next one).
    void arm(std::uint64_t calls);
    // No cut until armed again.
    void disarm();
    bool cut() const;
    // The call the power went off at ("write WAL", "sync database", "fsync
    // WAL" for a program's own, "delete WAL" ...); empty before a cut.
    std::string cut_call() const;
    // Modelled calls so far (writes, truncations, syncs, deletions).
    std::uint64_t calls() const;

    // After a cut, with every connection to the watched files closed: the
    // files as the disk holds them. Also the shared-memory index files
    // (-shm), whose content no cut keeps. Power is back, unarmed.
    void restore(Tear tear, std::mt19937& random);

    struct Model;

  private:
    std::unique_ptr<Model> model_;
};

}  // namespace fieldflow::test
