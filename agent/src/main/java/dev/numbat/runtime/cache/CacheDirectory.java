package dev.numbat.runtime.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;

/**
 * The files of a cache: a directory that belongs to the current user and that no one else may write, holding
 * one file per entry. Every file it hands out is a regular file (not a link) owned by the current user and
 * writable by no one else; files are written whole to a temporary file and renamed over the entry atomically,
 * so readers, in this process or any other, see either the old file or the new one, never a part.
 */
final class CacheDirectory {
    /** Entries larger than this are not read (a compiled module's object and listings are kilobytes). */
    static final long MAX_ENTRY_BYTES = 64L << 20;
    static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");

    /** What {@link #prepare} found. */
    enum State {
        /** Ours and private: its entries may be read. */
        USABLE,
        /** Ours, but was writable by group or others until now: made private; what it holds is not trusted. */
        REPAIRED
    }

    /** The directory cannot be used at all: not ours, not a directory, not POSIX. Nothing is read or written. */
    static final class UnusableDirectoryException extends IOException {
        UnusableDirectoryException(String reason) { super(reason); }
    }

    /** A file that is there but must not be read: wrong owner, permissions or type. */
    static final class RejectedFileException extends IOException {
        RejectedFileException(String reason) { super(reason); }
    }

    private final Path directory;
    /** The owner of files this process creates here, as the file system reports it; found once. */
    private volatile UserPrincipal user;

    CacheDirectory(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
    }

    Path path() { return directory; }

    /**
     * Makes the directory if it is missing (parents as the umask makes them, the directory itself 0700), and
     * checks that it is a directory of the current user that no one else may write. One that is ours but
     * writable by group or others is made private (0700) and reported {@link State#REPAIRED}.
     *
     * @throws UnusableDirectoryException when it is not a directory, belongs to someone else, or the file
     *                                    system has no POSIX owners and permissions
     */
    State prepare() throws IOException {
        PosixFileAttributes attributes;
        try {
            attributes = attributes(directory);
        } catch (NoSuchFileException e) {
            Path parent = directory.getParent();
            if (parent != null) Files.createDirectories(parent);
            try {
                Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(PRIVATE));
                if (user == null) user = Files.getOwner(directory); // made by this process: its owner is the user
            } catch (FileAlreadyExistsException raced) {
                // Another thread or process made it first: checked below like any directory found.
            } catch (UnsupportedOperationException noPosix) {
                throw new UnusableDirectoryException("the file system has no POSIX owners and permissions");
            }
            attributes = attributes(directory);
        }
        if (!attributes.isDirectory()) throw new UnusableDirectoryException("not a directory");
        UserPrincipal me = currentUser();
        if (!attributes.owner().equals(me)) {
            throw new UnusableDirectoryException("owned by " + attributes.owner().getName() + ", not by " + me.getName());
        }
        if (writableByOthers(attributes.permissions())) {
            Files.setPosixFilePermissions(directory, PRIVATE);
            return State.REPAIRED;
        }
        return State.USABLE;
    }

    /**
     * The contents of entry {@code name}, or null when there is none.
     *
     * @throws RejectedFileException when the file is not a regular file, is not the current user's, is writable by
     *                               group or others, or is too large to be an entry
     */
    byte[] read(String name) throws IOException {
        Path file = directory.resolve(name);
        PosixFileAttributes a;
        try {
            a = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
        if (a.isSymbolicLink()) throw new RejectedFileException("a symbolic link");
        if (!a.isRegularFile()) throw new RejectedFileException("not a regular file");
        if (!a.owner().equals(currentUser())) throw new RejectedFileException("owned by " + a.owner().getName());
        if (writableByOthers(a.permissions())) {
            throw new RejectedFileException("writable by group or others (" + PosixFilePermissions.toString(a.permissions()) + ")");
        }
        if (a.size() > MAX_ENTRY_BYTES) throw new RejectedFileException(a.size() + " bytes, larger than any entry");
        try (SeekableByteChannel in = Files.newByteChannel(file, Set.<OpenOption>of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
            long size = in.size();
            if (size > MAX_ENTRY_BYTES) throw new RejectedFileException(size + " bytes, larger than any entry");
            ByteBuffer buffer = ByteBuffer.allocate((int) size);
            while (buffer.hasRemaining() && in.read(buffer) >= 0) {
                // read on
            }
            if (buffer.hasRemaining()) throw new RejectedFileException("shorter than its size");
            return buffer.array();
        } catch (NoSuchFileException e) {
            return null; // replaced by a writer between the check and the open: a miss, this time
        }
    }

    /**
     * Writes entry {@code name}: the bytes go to a new temporary file (0600) next to it, which is then renamed
     * over the entry atomically. Concurrent writers of the same entry each rename a whole file of their own;
     * the last rename wins.
     */
    void write(String name, byte[] bytes) throws IOException {
        Path temporary = Files.createTempFile(directory, "." + name + ".", ".tmp");
        try {
            Files.write(temporary, bytes);
            Files.move(temporary, directory.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * The current user as this file system sees it: the owner of a file this process creates here. (User
     * names and ids can both mislead: with a user namespace or a squashing network file system, the owner the
     * file system records is what the checks must compare with.)
     */
    private UserPrincipal currentUser() throws IOException {
        UserPrincipal u = user;
        if (u == null) {
            Path probe;
            try {
                probe = Files.createTempFile(directory, ".owner.", ".tmp");
            } catch (IOException e) {
                throw new UnusableDirectoryException("cannot create files in it: " + e);
            }
            try {
                u = Files.getOwner(probe, LinkOption.NOFOLLOW_LINKS);
            } finally {
                Files.deleteIfExists(probe);
            }
            user = u;
        }
        return u;
    }

    private static PosixFileAttributes attributes(Path path) throws IOException {
        try {
            return Files.readAttributes(path, PosixFileAttributes.class);
        } catch (UnsupportedOperationException e) {
            throw new UnusableDirectoryException("the file system has no POSIX owners and permissions");
        }
    }

    static boolean writableByOthers(Set<PosixFilePermission> permissions) {
        return permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE);
    }
}
