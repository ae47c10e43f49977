/*
 * The .qf spec language: an accelerator (target, clock, blocks, stream connections), its
 * workload, named constants, sweep ranges and imports. Block kinds and their options are not
 * spelt here: they are names, looked up in the generator registry by the checker.
 */
grammar Qf;

file : statement* EOF ;

statement
    : 'import' STRING ';'                                           # importStmt
    | kw=('target' | 'board') id=ID ';'                           # targetStmt
    | 'clock' expr unit=ID ';'                                      # clockStmt
    | id=ID '=' expr ';'                                          # constStmt
    | id=ID 'in' '[' expr (',' expr)* ']' ';'                     # rangeStmt
    // the keyword is optional here so that a block declared without it is read whole and told how to write it
    | kw='block'? id=ID '=' kind=ID '(' args? ')' ';'             # blockStmt
    | from=endpoint arrow='->' to=endpoint ('fifo' depth=expr)? ';' # connectStmt
    | 'workload' id=ID ('tokens' tokens=expr)? '{' layer* '}'     # workloadStmt
    // a layer outside a workload (one '}' too many closed it) is read as a layer, so the checker says so once
    | layer                                                         # layerStmt
    ;

args : arg (',' arg)* ;

// option names are the command line's without "--", e.g. max-k
arg : optionName ':' value ;

optionName : name ('-' name)* ;

// a number, a name, a word (tflite, int8), a format with parameters (sfix(16, 12)) or a grouped format
value : expr ('group' group=expr 'scale' scale=ID)? ;

endpoint : blk=name ('.' stream=name)? ;

layer
    : kind=ID id=ID m=expr 'x' k=expr 'x' n=expr 'on' block=ID ';'    # gemmLayer
    | kind=ID id=ID '(' args ')' 'on' block=ID ';'                    # argLayer
    ;

expr
    : '-' expr                              # negExpr
    | expr op=('*' | '/' | '%') expr        # mulExpr
    | expr op=('+' | '-') expr              # addExpr
    | '(' expr ')'                          # parenExpr
    | INT                                   # intExpr
    | name '(' expr (',' expr)* ')'         # callExpr
    | name                                  # nameExpr
    ;

// a word of the language is still a name where a name is expected (an option or stream called 'scale')
name : ID | 'import' | 'target' | 'board' | 'clock' | 'in' | 'block' | 'fifo' | 'workload' | 'tokens' | 'group' | 'scale' | 'x' | 'on' ;

INT : [0-9]+ ;
ID : [a-zA-Z_] [a-zA-Z0-9_]* ;
STRING : '"' ~["\r\n]* '"' ;
LINE_COMMENT : '//' ~[\r\n]* -> skip ;
BLOCK_COMMENT : '/*' .*? '*/' -> skip ;
WS : [ \t\r\n]+ -> skip ;
// any other character: a token of its own, so the parser reports it where it stands
OTHER : . ;
