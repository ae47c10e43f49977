# The block design the Vivado stubs keep, so a build.tcl fails here where Vivado's IP integrator
# would: cells (create_bd_cell), ports (create_bd_port, create_bd_intf_port, apply_bd_automation's
# make_external), the pins an IP has for its CONFIG, nets (connect_bd_net), interface nets
# (connect_bd_intf_net) and address segments (get_bd_addr_segs, assign_bd_address).
# Rules (UG835 for each command, UG994 for the IP integrator's connection rules):
#   - a get_bd_* pattern that matches nothing returns "" (Vivado warns: [BD 5-235] pins,
#     [BD 5-232] interface pins); the command that then gets "" fails, naming that pattern;
#   - create_bd_cell: the VLNV is in the IP catalog ([BD 5-390]) and the name is new;
#   - set_property: at least one object ([Common 17-55]); an IP's CONFIG stays in its valid range
#     ([IP_Flow 19-3461]: AXI DMA's widths, SmartConnect's interface counts, Concat's inputs,
#     Utility Reduced Logic's size and operation);
#   - connect_bd_net: at least two pins/ports ([BD 41-701]); a pin or port is on one net, so the
#     objects may share at most one existing net; a net has one driver (an output pin or an input port);
#     the pins of a net are one width, a pin whose width follows the net (the PS's interrupt inputs)
#     up to its most: where widths differ Vivado only warns ([BD 41-235]) and connects the lower
#     bits, and the bits left out (an interrupt past the PS's 16) are lost silently, so here it fails;
#   - connect_bd_intf_net: exactly two interface pins/ports ([BD 5-106]), of one bus type, a
#     master and a slave (a port takes the mode of the pin it brings out); an interface pin is on
#     one interface net, which joins those two;
#   - assign_bd_address: each segment given exists;
#   - validate_bd_design: every clock input pin is driven ([BD 41-758]); every net's widths agree.
# An error reads "stub: COMMAND OBJECT: what is wrong (the rule)".

namespace eval bd {
    variable design ""
    # cell -> {vlnv VLNV ip NAME config {CONFIG.K V ...}}
    variable cells [dict create]
    # port -> {kind pin|intf dir I|O|IO mode Master|Slave bus BUS}
    variable ports [dict create]
    # object (cell/pin or port) -> net; net -> its objects
    variable net_of [dict create]
    variable nets [dict create]
    # interface object -> interface net; interface net -> its two objects
    variable intf_of [dict create]
    variable intf_nets [dict create]
    # packaged IP: vlnv -> its pins (as bd::pin and bd::intf describe them)
    variable catalog [dict create]
    # the get_bd_* patterns that matched nothing since the last command that took objects
    variable unmatched {}
}

proc bd::fail {command object message} {
    error "stub: [string trimright "$command $object"]: $message"
}

# The CONFIG value of cell's parameter, or its default.
proc bd::param {config name default} {
    return [expr {[dict exists $config CONFIG.$name] ? [dict get $config CONFIG.$name] : $default}]
}

# An IP's pins for its CONFIG, as a dict: pin -> {kind pin dir I|O type clk|rst|intr|data width W}
# or {kind intf mode Master|Slave bus aximm|axis|...}. Only the IP the kits use; each list is the
# pins of the IP's product guide that exist for that CONFIG (defaults: the IP's own). A width
# {LEAST MOST} is a pin whose CONFIG follows the width of its net, within those.
proc bd::pin {dir {type data} {width 1}} { return [list kind pin dir $dir type $type width $width] }
proc bd::intf {mode bus} { return [list kind intf mode $mode bus $bus] }

namespace eval bd::ip {}

# Zynq-7000 PS (PG082): the GP master, HP slave, fabric interrupt, clock and reset exist when enabled.
# IRQ_F2P is 1 to 16 lines wide (PCW_NUM_F2P_INTR_INPUTS, read-only in a block design: its net sets it).
proc bd::ip::processing_system7 {config} {
    set p [dict create DDR [bd::intf Master ddrx] FIXED_IO [bd::intf Master fixedio]]
    if {[bd::param $config PCW_USE_M_AXI_GP0 1]} {
        dict set p M_AXI_GP0 [bd::intf Master aximm]
        dict set p M_AXI_GP0_ACLK [bd::pin I clk]
    }
    if {[bd::param $config PCW_USE_S_AXI_HP0 0]} {
        dict set p S_AXI_HP0 [bd::intf Slave aximm]
        dict set p S_AXI_HP0_ACLK [bd::pin I clk]
    }
    if {[bd::param $config PCW_USE_FABRIC_INTERRUPT 0] && [bd::param $config PCW_IRQ_F2P_INTR 0]} {
        dict set p IRQ_F2P [bd::pin I intr {1 16}]
    }
    if {[bd::param $config PCW_EN_CLK0_PORT 1]} { dict set p FCLK_CLK0 [bd::pin O clk] }
    if {[bd::param $config PCW_EN_RST0_PORT 1]} { dict set p FCLK_RESET0_N [bd::pin O rst] }
    return $p
}

# Zynq UltraScale+ PS (PG201): HPM0/HPM1 FPD and HPM0 LPD masters are on unless disabled. The fabric
# interrupts pl_ps_irq0 and pl_ps_irq1 are 1 to 8 lines wide each (PSU__NUM_F2P0__INTR__INPUTS and
# PSU__NUM_F2P1__INTR__INPUTS, read-only in a block design: their nets set them).
proc bd::ip::zynq_ultra_ps_e {config} {
    set p [dict create]
    foreach {gp intf clock} {0 M_AXI_HPM0_FPD maxihpm0_fpd_aclk 1 M_AXI_HPM1_FPD maxihpm1_fpd_aclk 2 M_AXI_HPM0_LPD maxihpm0_lpd_aclk} {
        if {[bd::param $config PSU__USE__M_AXI_GP$gp 1]} {
            dict set p $intf [bd::intf Master aximm]
            dict set p $clock [bd::pin I clk]
        }
    }
    if {[bd::param $config PSU__USE__S_AXI_GP2 0]} {
        dict set p S_AXI_HP0_FPD [bd::intf Slave aximm]
        dict set p saxihp0_fpd_aclk [bd::pin I clk]
    }
    foreach irq {0 1} {
        if {[bd::param $config PSU__USE__IRQ$irq 0]} { dict set p pl_ps_irq$irq [bd::pin I intr {1 8}] }
    }
    if {[bd::param $config PSU__FPGA_PL0_ENABLE 1]} { dict set p pl_clk0 [bd::pin O clk] }
    if {[bd::param $config PSU__USE__FABRIC__RST 1]} { dict set p pl_resetn0 [bd::pin O rst] }
    return $p
}

# Processor System Reset (PG164).
proc bd::ip::proc_sys_reset {config} {
    set p [dict create slowest_sync_clk [bd::pin I clk]]
    foreach in {ext_reset_in aux_reset_in mb_debug_sys_rst dcm_locked} { dict set p $in [bd::pin I rst] }
    foreach out {mb_reset bus_struct_reset peripheral_reset interconnect_aresetn peripheral_aresetn} { dict set p $out [bd::pin O rst] }
    return $p
}

# SmartConnect (PG247): S00_AXI.. and M00_AXI.. as NUM_SI and NUM_MI say, one clock and reset.
proc bd::ip::smartconnect {config} {
    set p [dict create aclk [bd::pin I clk] aresetn [bd::pin I rst]]
    for {set i 0} {$i < [bd::param $config NUM_SI 2]} {incr i} { dict set p [format S%02d_AXI $i] [bd::intf Slave aximm] }
    for {set i 0} {$i < [bd::param $config NUM_MI 1]} {incr i} { dict set p [format M%02d_AXI $i] [bd::intf Master aximm] }
    return $p
}

# Concat (xlconcat, UG994): In0.. as NUM_PORTS says, each IN<i>_WIDTH wide; dout, their sum.
proc bd::ip::xlconcat {config} {
    set p [dict create]
    set width 0
    for {set i 0} {$i < [bd::param $config NUM_PORTS 2]} {incr i} {
        set w [bd::param $config IN${i}_WIDTH 1]
        dict set p In$i [bd::pin I data $w]
        incr width $w
    }
    dict set p dout [bd::pin O data $width]
    return $p
}

# Utility Reduced Logic (PB045): Res is C_OPERATION over the C_SIZE bits of Op1.
proc bd::ip::util_reduced_logic {config} {
    return [dict create Op1 [bd::pin I data [bd::param $config C_SIZE 8]] Res [bd::pin O]]
}

# AXI DMA (PG021): the scatter-gather port and each channel's ports exist when included.
proc bd::ip::axi_dma {config} {
    set p [dict create S_AXI_LITE [bd::intf Slave aximm] s_axi_lite_aclk [bd::pin I clk] axi_resetn [bd::pin I rst]]
    if {[bd::param $config c_include_sg 1]} {
        dict set p M_AXI_SG [bd::intf Master aximm]
        dict set p m_axi_sg_aclk [bd::pin I clk]
    }
    foreach {channel stream mode} {mm2s M_AXIS_MM2S Master s2mm S_AXIS_S2MM Slave} {
        if {[bd::param $config c_include_$channel 1]} {
            dict set p M_AXI_[string toupper $channel] [bd::intf Master aximm]
            dict set p $stream [bd::intf $mode axis]
            dict set p m_axi_${channel}_aclk [bd::pin I clk]
            dict set p ${channel}_introut [bd::pin O intr]
            dict set p ${channel}_prmry_reset_out_n [bd::pin O rst]
        }
    }
    return $p
}

namespace eval bd::check {}

# AXI DMA's parameter ranges (PG021): a memory-map width of 32 to 1024 bits, a stream width of
# 8 to 1024 bits and at most the memory-map width. Vivado refuses a value out of range
# ([IP_Flow 19-3461], [BD 41-245]) and keeps the previous configuration.
proc bd::check::axi_dma {cell config} {
    foreach {channel stream} {mm2s c_m_axis_mm2s_tdata_width s2mm c_s_axis_s2mm_tdata_width} {
        set mm [bd::param $config c_m_axi_${channel}_data_width 32]
        set width [bd::param $config $stream 32]
        if {$mm ni {32 64 128 256 512 1024}} {
            bd::fail set_property $cell "CONFIG.c_m_axi_${channel}_data_width $mm is out of range (32 to 1024, a power of two; PG021)"
        }
        if {$width ni {8 16 32 64 128 256 512 1024} || $width > $mm} {
            bd::fail set_property $cell "CONFIG.$stream $width is out of range (8 to the memory-map width CONFIG.c_m_axi_${channel}_data_width $mm; PG021)"
        }
    }
}

# SmartConnect's parameter ranges (PG247): 1 to 16 slave and 1 to 16 master interfaces.
proc bd::check::smartconnect {cell config} {
    foreach {n default} {NUM_SI 2 NUM_MI 1} {
        set v [bd::param $config $n $default]
        if {![string is integer -strict $v] || $v < 1 || $v > 16} {
            bd::fail set_property $cell "CONFIG.$n $v is out of range (1 to 16; PG247)"
        }
    }
}

# Concat's parameter range: 1 to 128 inputs (xlconcat 2.1's HDL has In0 to In127; UG994 and its
# product brief PB041 give no figure).
proc bd::check::xlconcat {cell config} {
    set n [bd::param $config NUM_PORTS 2]
    if {![string is integer -strict $n] || $n < 1 || $n > 128} {
        bd::fail set_property $cell "CONFIG.NUM_PORTS $n is out of range (1 to 128; xlconcat 2.1)"
    }
}

# Utility Reduced Logic's parameters: C_SIZE at least 2 (UG994), C_OPERATION and, or or xor (PB045).
proc bd::check::util_reduced_logic {cell config} {
    set n [bd::param $config C_SIZE 8]
    if {![string is integer -strict $n] || $n < 2} {
        bd::fail set_property $cell "CONFIG.C_SIZE $n is out of range (at least 2; UG994)"
    }
    set op [bd::param $config C_OPERATION and]
    if {$op ni {and or xor}} {
        bd::fail set_property $cell "CONFIG.C_OPERATION $op is not one of and, or, xor (PB045)"
    }
}

# The pins of a packaged IP, as the IP packager infers them from its ports' names: an AXI4-Stream
# interface from P_tdata and P_tvalid, an AXI4 memory-mapped one from P_awaddr and P_araddr
# (slave when its valid is an input), the other ports as pins of their widths (a clock when named *clk).
proc bd::packaged_pins {ports} {
    set dir [dict create]
    set width [dict create]
    foreach p $ports {
        dict set dir [lindex $p 0] [lindex $p 1]
        dict set width [lindex $p 0] [lindex $p 2]
    }
    set pins [dict create]
    set members {}
    foreach name [dict keys $dir] {
        if {[regexp {^(.+)_tdata$} $name -> bus] && [dict exists $dir ${bus}_tvalid]} {
            dict set pins $bus [bd::intf [expr {[dict get $dir ${bus}_tvalid] eq "in" ? "Slave" : "Master"}] axis]
            lappend members "${bus}_t*"
        } elseif {[regexp {^(.+)_awaddr$} $name -> bus] && [dict exists $dir ${bus}_araddr]} {
            dict set pins $bus [bd::intf [expr {[dict get $dir ${bus}_awvalid] eq "in" ? "Slave" : "Master"}] aximm]
            foreach channel {aw w b ar r} { lappend members "${bus}_${channel}*" }
        }
    }
    dict for {name d} $dir {
        set member 0
        foreach m $members { if {[string match $m $name]} { set member 1 } }
        if {!$member} {
            dict set pins $name [bd::pin [expr {$d eq "in" ? "I" : "O"}] [expr {[string match *clk $name] ? "clk" : "data"}] [dict get $width $name]]
        }
    }
    return $pins
}

# ipx::package_project: the core joins the catalog as vendor:library:top:1.0.
proc bd::package {vendor library top ports} {
    variable catalog
    set vlnv $vendor:$library:$top:1.0
    dict set catalog $vlnv [packaged_pins $ports]
    return $vlnv
}

# The catalog entry of a VLNV given with or without its version: the name of a modelled Xilinx IP,
# or a packaged core's VLNV; "" when the catalog has none.
proc bd::lookup {vlnv} {
    variable catalog
    lassign [split $vlnv :] vendor library name version
    if {$vendor eq "xilinx.com" && $library eq "ip" && [info commands ::bd::ip::$name] ne ""} {
        return $name
    }
    dict for {v pins} $catalog {
        if {$v eq $vlnv || ($version eq "" && [string match $vendor:$library:$name:* $v])} {
            return $v
        }
    }
    return ""
}

proc bd::ipdefs {vlnv} {
    return [expr {[lookup $vlnv] eq "" ? "" : $vlnv}]
}

proc bd::pins_of {cell} {
    variable cells
    variable catalog
    set ip [dict get $cells $cell ip]
    if {[dict exists $catalog $ip]} {
        return [dict get $catalog $ip]
    }
    return [bd::ip::$ip [dict get $cells $cell config]]
}

proc bd::require_design {command} {
    variable design
    if {$design eq ""} {
        fail $command "" "no block design is open (create_bd_design first)"
    }
}

proc bd::create_design {name} {
    variable design
    if {$design ne ""} {
        fail create_bd_design $name "block design '$design' is already open"
    }
    set design $name
    return $name
}

proc bd::create_cell {vlnv name} {
    variable cells
    variable ports
    require_design create_bd_cell
    if {[dict exists $cells $name] || [dict exists $ports $name]} {
        fail create_bd_cell $name "the block design already has an object named '$name'; a cell's name is new (UG835)"
    }
    set ip [lookup $vlnv]
    if {$ip eq ""} {
        fail create_bd_cell $name "IP definition not found for VLNV: $vlnv (Vivado: \[BD 5-390])"
    }
    dict set cells $name [dict create vlnv $vlnv ip $ip config [dict create]]
    return $name
}

proc bd::create_port {command name port} {
    variable cells
    variable ports
    require_design $command
    if {[dict exists $ports $name] || [dict exists $cells $name]} {
        fail $command $name "the block design already has an object named '$name'; a port's name is new (UG835)"
    }
    dict set ports $name $port
    return $name
}

# get_bd_cells/pins/intf_pins/ports/intf_ports/addr_segs: the objects matching the patterns
# (every one when none is given), or -of_objects' cells' pins.
proc bd::get {command arguments} {
    variable cells
    variable ports
    variable unmatched
    require_design $command
    set patterns {}
    set of {}
    for {set i 0} {$i < [llength $arguments]} {incr i} {
        set a [lindex $arguments $i]
        switch -- $a {
            -of_objects { set of [lindex $arguments [incr i]] }
            -filter { incr i }
            -regexp - -hierarchical - -quiet - -verbose - -excluded - -addressed - -unaddressed - -addressing - -addressables {}
            default { lappend patterns {*}$a }
        }
    }
    set candidates {}
    switch -- $command {
        get_bd_cells { set candidates [dict keys $cells] }
        get_bd_ports - get_bd_intf_ports {
            dict for {name p} $ports {
                if {[dict get $p kind] eq ($command eq "get_bd_ports" ? "pin" : "intf")} { lappend candidates $name }
            }
        }
        get_bd_pins - get_bd_intf_pins {
            set kind [expr {$command eq "get_bd_pins" ? "pin" : "intf"}]
            foreach cell [expr {$of eq "" ? [dict keys $cells] : $of}] {
                if {![dict exists $cells $cell]} { continue }
                dict for {pin p} [pins_of $cell] {
                    if {[dict get $p kind] eq $kind} { lappend candidates $cell/$pin }
                }
            }
        }
        get_bd_addr_segs { set candidates [segments] }
    }
    if {$patterns eq ""} {
        set patterns *
    }
    set found {}
    foreach pattern $patterns {
        set matched [lsearch -all -inline -glob $candidates [string trimleft $pattern /]]
        if {$matched eq ""} {
            lappend unmatched "$command $pattern"
        }
        lappend found {*}$matched
    }
    return [lsort -unique $found]
}

# The slave segments: one per address block of a slave memory-mapped interface pin (a SmartConnect
# passes its slaves' segments on and has none of its own).
proc bd::segments {} {
    variable cells
    set segs {}
    dict for {cell c} $cells {
        if {[dict get $c ip] eq "smartconnect"} { continue }
        dict for {pin p} [pins_of $cell] {
            if {[dict get $p kind] eq "intf" && [dict get $p bus] eq "aximm" && [dict get $p mode] eq "Slave"} {
                foreach block [blocks $cell $pin] { lappend segs $cell/$pin/$block }
            }
        }
    }
    return $segs
}

# An interface's address blocks: a Xilinx IP's register block is Reg; the IP packager names an
# inferred AXI4-Lite slave's block reg0; the PS's high-performance slaves reach DDR and more.
proc bd::blocks {cell pin} {
    variable cells
    switch -- [dict get $cells $cell ip] {
        processing_system7 { return {HP0_DDR_LOWOCM} }
        zynq_ultra_ps_e { return {HP0_DDR_LOW HP0_DDR_HIGH HP0_LPS_OCM HP0_QSPI} }
        axi_dma { return {Reg} }
    }
    return {reg0}
}

# Takes the objects a command was given: the non-empty arguments. When fewer than needed are left,
# fails naming the get_bd_* patterns that matched nothing.
proc bd::objects {command arguments needed rule} {
    variable unmatched
    set objects {}
    foreach a $arguments { lappend objects {*}$a }
    if {[llength $objects] < $needed} {
        set why [expr {$unmatched eq "" ? "" : "; nothing matched [join [lmap u $unmatched {string cat '$u'}] {, }]"}]
        fail $command [join $objects] "$rule$why"
    }
    return $objects
}

# The object's description: {kind pin dir ... } for a cell's pin or a port; fails when there is none.
proc bd::describe {command object} {
    variable cells
    variable ports
    if {[dict exists $ports $object]} {
        return [dict get $ports $object]
    }
    if {[string first / $object] < 0} {
        fail $command $object "the block design has no port '$object'"
    }
    set cell [file dirname $object]
    set pin [file tail $object]
    if {![dict exists $cells $cell]} {
        fail $command $object "the block design has no cell '$cell'"
    }
    set pins [pins_of $cell]
    if {![dict exists $pins $pin]} {
        fail $command $object "cell '$cell' ([dict get $cells $cell vlnv]) has no pin '$pin' with its CONFIG"
    }
    return [dict get $pins $pin]
}

proc bd::drives {object d} {
    variable ports
    # inside the block design an input port drives, like an output pin
    return [expr {[dict get $d dir] eq ([dict exists $ports $object] ? "I" : "O")}]
}

# The net's pins are one width: the fixed ones alike, each that follows its net within its range.
proc bd::check_widths {command net} {
    variable nets
    set fixed {}
    set follows {}
    foreach o [dict get $nets $net] {
        set w [dict get [describe $command $o] width]
        if {[llength $w] == 1} { lappend fixed "$o $w" } else { lappend follows "$o $w" }
    }
    set widths [lsort -unique [lmap f $fixed {lindex $f 1}]]
    set lost "Vivado only warns (\[BD 41-235]) and connects the lower bits, so the others are lost"
    if {[llength $widths] > 1} {
        fail $command [join [lmap f $fixed {lindex $f 0}]] "the net '$net' joins pins of different widths\
                ([join [lmap f $fixed {string cat [lindex $f 0] " " [lindex $f 1]}] {, }] bits); $lost"
    }
    foreach f $follows {
        lassign $f o least most
        if {$widths ne "" && ($widths < $least || $widths > $most)} {
            fail $command "[lmap f $fixed {lindex $f 0}] $o" "$o takes $least to $most bits, the net '$net' is $widths wide; $lost"
        }
    }
}

# A connect command's arguments: the net it names with nameOption (-net, -intf_net; "" if none) and the rest,
# the objects to join (-boundary_type's value and the -quiet/-verbose flags set aside).
proc bd::connect_arguments {arguments nameOption} {
    set named ""
    set rest {}
    for {set i 0} {$i < [llength $arguments]} {incr i} {
        set a [lindex $arguments $i]
        if {$a eq $nameOption} {
            set named [lindex $arguments [incr i]]
        } elseif {$a eq "-boundary_type"} {
            incr i
        } elseif {$a ni {-quiet -verbose}} {
            lappend rest $a
        }
    }
    return [list $named $rest]
}

proc bd::connect_net {arguments} {
    variable net_of
    variable nets
    require_design connect_bd_net
    lassign [connect_arguments $arguments -net] named rest
    set needed [expr {$named ne "" && [dict exists $nets $named] ? 1 : 2}]
    set objects [objects connect_bd_net $rest $needed "connect_bd_net takes at least two pins/ports, or one pin/port and a net (Vivado: \[BD 41-701])"]
    set drivers {}
    set joined [expr {$named ne "" && [dict exists $nets $named] ? [list $named] : {}}]
    set on {}
    foreach o $objects {
        set d [describe connect_bd_net $o]
        if {[dict get $d kind] ne "pin"} {
            fail connect_bd_net $o "is an interface; connect it with connect_bd_intf_net"
        }
        if {[drives $o $d]} { lappend drivers $o }
        if {[dict exists $net_of $o]} {
            lappend on "$o on '[dict get $net_of $o]'"
            if {[dict get $net_of $o] ni $joined} { lappend joined [dict get $net_of $o] }
        }
    }
    if {[llength $joined] > 1} {
        fail connect_bd_net [join $objects] "the objects are on different nets ([join $on {, }]); a pin or port is on one net"
    }
    set net [lindex $joined 0]
    if {$net ne ""} {
        set new 0
        foreach o $objects {
            if {![dict exists $net_of $o]} { set new 1 }
        }
        if {!$new} {
            fail connect_bd_net [join $objects] "already connected by net '$net'"
        }
        foreach o [dict get $nets $net] {
            if {[drives $o [describe connect_bd_net $o]] && $o ni $drivers} { lappend drivers $o }
        }
    }
    if {[llength $drivers] > 1} {
        fail connect_bd_net [join $objects] "the net would have two drivers, [join $drivers { and }]; a net has one driver"
    }
    if {$net eq ""} {
        set net [expr {$named ne "" ? $named : [string map {/ _} [lindex [concat $drivers $objects] 0]]}]
        dict set nets $net {}
    }
    foreach o $objects {
        if {![dict exists $net_of $o]} {
            dict set net_of $o $net
            dict lappend nets $net $o
        }
    }
    check_widths connect_bd_net $net
    return $net
}

proc bd::connect_intf_net {arguments} {
    variable intf_of
    variable intf_nets
    variable ports
    require_design connect_bd_intf_net
    lassign [connect_arguments $arguments -intf_net] named rest
    # a third argument is <auto>, not an object
    set objects [objects connect_bd_intf_net [lrange $rest 0 1] 2 "connect_bd_intf_net takes two interface pins/ports (Vivado: \[BD 5-106] arguments cannot be empty)"]
    set described {}
    foreach o $objects {
        set d [describe connect_bd_intf_net $o]
        if {[dict get $d kind] ne "intf"} {
            fail connect_bd_intf_net $o "is not an interface pin or port; connect it with connect_bd_net"
        }
        if {[dict exists $intf_of $o]} {
            fail connect_bd_intf_net $o "is already connected by interface net '[dict get $intf_of $o]' ([join [dict get $intf_nets [dict get $intf_of $o]] { to }]); an interface net joins one master to one slave"
        }
        lappend described $d
    }
    lassign $objects a b
    lassign $described da db
    set ports_among [expr {[dict exists $ports $a] + [dict exists $ports $b]}]
    set same_mode [expr {[dict get $da mode] eq [dict get $db mode]}]
    if {[dict get $da bus] ne [dict get $db bus] || $same_mode != ($ports_among == 1)} {
        fail connect_bd_intf_net "$a $b" "cannot join [dict get $da bus] [dict get $da mode] to [dict get $db bus] [dict get $db mode]: an interface net joins a master to a slave of one bus type"
    }
    set net [expr {$named ne "" ? $named : [string map {/ _} $a]}]
    dict set intf_nets $net $objects
    dict set intf_of $a $net
    dict set intf_of $b $net
    return $net
}

# set_property's objects; for a block design cell, its CONFIG, checked as the IP checks it.
proc bd::set_property {arguments} {
    variable cells
    variable design
    set rest [lsearch -all -inline -not -regexp $arguments {^-(quiet|verbose)$}]
    if {[lindex $rest 0] eq "-dict"} {
        set values [lindex $rest 1]
        set targets [lrange $rest 2 end]
    } else {
        set values [lrange $rest 0 1]
        set targets [lrange $rest 2 end]
    }
    set objects [objects set_property $targets 1 "[lindex $values 0] is set on no object (Vivado: \[Common 17-55] 'set_property' expects at least one object)"]
    foreach o $objects {
        if {$design eq "" || ![dict exists $cells $o]} { continue }
        set config [dict get $cells $o config]
        foreach {k v} $values {
            if {[string match CONFIG.* $k]} { dict set config $k $v }
        }
        set ip [dict get $cells $o ip]
        if {[info commands ::bd::check::$ip] ne ""} { bd::check::$ip $o $config }
        dict set cells $o config $config
    }
}

# apply_bd_automation on a PS: make_external brings each listed interface out to a port of its name.
proc bd::apply_automation {arguments} {
    require_design apply_bd_automation
    set config [expr {[lsearch -exact $arguments -config] < 0 ? "" : [lindex $arguments [expr {[lsearch -exact $arguments -config] + 1}]]}]
    set cells [objects apply_bd_automation [lindex $arguments end] 1 "apply_bd_automation needs a cell"]
    if {[dict exists $config make_external]} {
        foreach cell $cells {
            foreach pin [split [dict get $config make_external] ,] {
                set pin [string trim $pin]
                set d [describe apply_bd_automation $cell/$pin]
                create_port apply_bd_automation $pin $d
                connect_intf_net [list $pin $cell/$pin]
            }
        }
    }
}

# assign_bd_address: with no segment, every unassigned one gets an address; a segment given must exist.
proc bd::assign_address {arguments} {
    require_design assign_bd_address
    set rest {}
    for {set i 0} {$i < [llength $arguments]} {incr i} {
        switch -- [lindex $arguments $i] {
            -target_address_space - -offset - -range - -export_to_file - -import_from_file - -dict { incr i }
            -force - -boundary - -excluded - -quiet - -verbose {}
            default { lappend rest [lindex $arguments $i] }
        }
    }
    if {$rest eq ""} {
        return
    }
    foreach s [objects assign_bd_address $rest 1 "assign_bd_address needs an existing segment"] {
        if {$s ni [segments]} {
            fail assign_bd_address $s "the block design has no address segment '$s'"
        }
    }
}

# validate_bd_design: an undriven clock input is an error ([BD 41-758]); a CONFIG set after its
# pins were connected may have changed a net's widths.
proc bd::validate {} {
    variable cells
    variable net_of
    variable nets
    require_design validate_bd_design
    foreach net [dict keys $nets] {
        check_widths validate_bd_design $net
    }
    dict for {cell c} $cells {
        dict for {pin p} [pins_of $cell] {
            if {[dict get $p kind] ne "pin" || [dict get $p dir] ne "I" || [dict get $p type] ne "clk"} { continue }
            set driven 0
            if {[dict exists $net_of $cell/$pin]} {
                foreach o [dict get $nets [dict get $net_of $cell/$pin]] {
                    if {[drives $o [describe validate_bd_design $o]]} { set driven 1 }
                }
            }
            if {!$driven} {
                fail validate_bd_design $cell/$pin "the clock pin is not connected to a valid clock source (Vivado: \[BD 41-758])"
            }
        }
    }
}
