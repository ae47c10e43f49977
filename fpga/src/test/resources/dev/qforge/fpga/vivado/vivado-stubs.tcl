# Runs a Vivado kit's build.tcl and XDC files in plain tclsh, every Vivado command it may call a stub
# that checks its options against ug835-commands.txt and acts out the files the real command writes;
# the block design commands act on the model of block-design.tcl, which fails where Vivado would.
#   tclsh vivado-stubs.tcl KIT_DIR COMMANDS_FILE BOARD_XDC [FAULT]
# FAULT makes one step fail as Vivado's would: no-bitstream, no-xsa, no-hwh, run-failed, ports-differ.
lassign $argv ::kit commands_file board_xdc ::fault
set ::stub_dir [file join $::kit stub]
file mkdir $::stub_dir
source [file join [file dirname [info script]] block-design.tcl]

proc touch {path} {
    file mkdir [file dirname $path]
    close [open $path w]
}

proc option_value {args_list option} {
    set i [lsearch -exact $args_list $option]
    return [expr {$i < 0 ? "" : [lindex $args_list [expr {$i + 1}]]}]
}

# What each stub returns and which files it leaves, as the real command would.
proc act {name arguments} {
    switch -- $name {
        get_property {
            switch -- [lindex $arguments 0] {
                PROGRESS { return 100% }
                STATUS { return [expr {$::fault eq "run-failed" ? "synth_design ERROR" : "write_bitstream Complete!"}] }
                DIRECTORY { return [file join $::stub_dir runs] }
                NAME { return [lindex $arguments 1] }
                SLACK { return 0.512 }
                board_part { return "" }
            }
            return ""
        }
        ipx::get_ports {
            set ports {}
            foreach p $::ip_ports { lappend ports [lindex $p 0] }
            if {$::fault eq "ports-differ"} { set ports [lrange $ports 1 end] }
            return $ports
        }
        ipx::current_core { return core }
        ipx::get_bus_interfaces {
            # the interfaces the packager inferred from the ports
            set pins [dict get $::bd::catalog $::ip_vlnv_packaged]
            set busif [lindex $arguments 0]
            return [expr {[dict exists $pins $busif] && [dict get $pins $busif kind] eq "intf" ? $busif : ""}]
        }
        ipx::package_project {
            set ::ip_root [option_value $arguments -root_dir]
            set ::ip_vlnv_packaged [bd::package [option_value $arguments -vendor] [option_value $arguments -library] $::top $::ip_ports]
        }
        ipx::save_core { touch [file join $::ip_root component.xml] }
        report_utilization - report_timing_summary { touch [option_value $arguments -file] }
        generate_target { if {$::fault ne "no-hwh"} { touch [file join $::stub_dir system.hwh] } }
        make_wrapper { return [file join $::stub_dir system_wrapper.v] }
        launch_runs {
            if {[lindex $arguments 0] eq "impl_1" && $::fault ne "no-bitstream"} { touch [file join $::stub_dir runs system_wrapper.bit] }
        }
        write_hw_platform { if {$::fault ne "no-xsa"} { touch [option_value $arguments -file] } }
        get_files {
            if {[lsearch -exact $arguments -of_objects] >= 0} { return [file join $::stub_dir [lindex $arguments end]] }
            return [lindex $arguments end]
        }
        get_board_parts { return "" }
        get_timing_paths { return worst_setup_path }
        create_project { set ::project [lindex [lsearch -all -inline -not -glob $arguments -*] 0] }
        current_project { return $::project }
        current_fileset { return [expr {[lsearch -exact $arguments -constrset] < 0 ? "sources_1" : "constrs_1"}] }
        current_design { return design }
        set_property {
            if {[lindex $arguments 0] eq "top"} { set ::top [lindex $arguments 1] }
            bd::set_property $arguments
            return
        }
        get_ipdefs { return [bd::ipdefs [lindex $arguments end]] }
        create_bd_design { return [bd::create_design [lindex $arguments end]] }
        create_bd_cell { return [bd::create_cell [option_value $arguments -vlnv] [lindex $arguments end]] }
        create_bd_port {
            set type [option_value $arguments -type]
            set from [option_value $arguments -from]
            set width [expr {$from eq "" ? 1 : abs($from - [option_value $arguments -to]) + 1}]
            return [bd::create_port create_bd_port [lindex $arguments end] [bd::pin [option_value $arguments -dir] [expr {$type eq "" ? "data" : $type}] $width]]
        }
        create_bd_intf_port {
            # the bus type: the VLNV's name without _rtl (xilinx.com:interface:aximm_rtl:1.0 -> aximm)
            set bus [regsub {_rtl$} [lindex [split [option_value $arguments -vlnv] :] 2] ""]
            return [bd::create_port create_bd_intf_port [lindex $arguments end] [bd::intf [option_value $arguments -mode] $bus]]
        }
        get_bd_cells - get_bd_pins - get_bd_intf_pins - get_bd_ports - get_bd_intf_ports - get_bd_addr_segs {
            return [bd::get $name $arguments]
        }
        connect_bd_net { return [bd::connect_net $arguments] }
        connect_bd_intf_net { return [bd::connect_intf_net $arguments] }
        apply_bd_automation { return [bd::apply_automation $arguments] }
        assign_bd_address { return [bd::assign_address $arguments] }
        validate_bd_design { return [bd::validate] }
    }
    return [lindex $arguments end]
}

namespace eval ipx {}
set f [open $commands_file]
foreach line [split [read $f] \n] {
    if {[string trim $line] eq "" || [string index $line 0] eq "#"} { continue }
    set words [split [string trim [lindex [split $line |] 0]]]
    set name [lindex $words 0]
    set ::options($name) [lrange $words 1 end]
    proc ::$name {args} [string map [list NAME $name] {
        foreach a $args {
            if {[string match -* $a] && ![string is double -strict $a] && [lsearch -exact $::options(NAME) $a] < 0} {
                error "stub: NAME takes no option $a (ug835-commands.txt)"
            }
        }
        lappend ::calls [concat NAME $args]
        set result [act NAME $args]
        if {![string match get_bd_* NAME]} {
            # the patterns that matched nothing belonged to this command's arguments
            set ::bd::unmatched {}
        }
        return $result
    }]
}
close $f

set ::calls {}
source [file join $::kit build.tcl]
foreach xdc [list ooc.xdc $board_xdc] {
    source [file join $::kit $xdc]
}
set log [open [file join $::kit stub calls.txt] w]
puts $log [join $::calls \n]
close $log
