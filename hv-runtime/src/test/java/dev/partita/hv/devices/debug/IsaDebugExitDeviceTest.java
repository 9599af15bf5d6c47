package dev.partita.hv.devices.debug;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class IsaDebugExitDeviceTest {
    @Test
    void exitStatusFollowsQemusConvention() {
        List<Integer> statuses = new ArrayList<>();
        IsaDebugExitDevice d = new IsaDebugExitDevice(statuses::add);
        d.write(0, 1, 0);
        d.write(0, 4, 0x10);
        d.write(0, 1, 0x7F);
        d.write(0, 2, 0x1FF80); // 16-bit OUT: only 0xFF80 is written
        d.write(2, 4, 0x31);
        assertEquals(List.of(1, 0x21, 0xFF, 0x01, 0x63), statuses);
        assertEquals(-1, d.read(0, 4));
    }
}
