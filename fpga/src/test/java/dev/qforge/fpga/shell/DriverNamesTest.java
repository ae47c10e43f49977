package dev.qforge.fpga.shell;

import dev.qforge.fpga.board.ZynqBoard;
import dev.qforge.fpga.shell.driver.DriverFiles;
import dev.qforge.fpga.vivado.VivadoKit;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The drivers look up the cells the Vivado kit's block design creates, and each stream on the DMA channel wired to it. */
class DriverNamesTest {
    @Test
    void theDriversNamesAreTheBlockDesignsCells() {
        for (AxiShell shell : new AxiShell[] {ShellDesigns.gemm(), ShellDesigns.dequant()}) {
            String tcl = new VivadoKit(ZynqBoard.PYNQ_Z2, shell).buildTcl();
            assertTrue(tcl.contains("create_bd_cell -type ip -vlnv $ip_vlnv " + DriverFiles.IP_NAME + "\n"), tcl);
            for (AxisStream s : shell.streams()) {
                String dma = DriverFiles.dmaName(s);
                String wire = s.input()
                        ? "connect_bd_intf_net [get_bd_intf_pins " + dma + "/M_AXIS_MM2S] [get_bd_intf_pins " + DriverFiles.IP_NAME + "/" + s.bus() + "]"
                        : "connect_bd_intf_net [get_bd_intf_pins " + DriverFiles.IP_NAME + "/" + s.bus() + "] [get_bd_intf_pins " + dma + "/S_AXIS_S2MM]";
                assertTrue(tcl.contains("create_bd_cell -type ip -vlnv xilinx.com:ip:axi_dma " + dma + "\n"), dma + " in\n" + tcl);
                assertTrue(tcl.contains(wire + "\n"), s.bus() + ": " + wire + " in\n" + tcl);
            }
        }
    }
}
