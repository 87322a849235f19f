package io.ringkv.storage.engine;

import io.ringkv.storage.memtable.Memtable;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a read must consult, published as one immutable value so a reader never sees a
 * flushed memtable both in memory and as a table (which would apply its merge operands twice)
 * nor in neither. RocksDB calls this a SuperVersion.
 *
 * @param active     the memtable taking writes
 * @param immutables memtables waiting to be flushed, oldest first
 * @param tables     live tables
 */
record View(Memtable active, List<Memtable> immutables, TableSet tables) {
    View {
        immutables = List.copyOf(immutables);
    }

    View withSwappedActive(Memtable fresh) {
        List<Memtable> imm = new ArrayList<>(immutables);
        imm.add(active);
        return new View(fresh, imm, tables);
    }

    View withFlushed(Memtable flushed, TableSet next) {
        List<Memtable> imm = new ArrayList<>(immutables);
        if (imm.isEmpty() || imm.get(0) != flushed) {
            throw new IllegalStateException("memtables must be flushed oldest first");
        }
        imm.remove(0);
        return new View(active, imm, next);
    }

    View withTables(TableSet next) {
        return new View(active, immutables, next);
    }
}
