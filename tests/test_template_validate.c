/*
 * test_template_validate.c - every component rule of templates/validate.c
 * with a case that passes and one that fails, table-driven.  Components
 * are written with single quotes and swapped to JSON before parsing.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gerr.h"
#include "suite.h"
#include "templates/validate.h"
#include "util.h"

#define MKT "MARKETING"
#define UTL "UTILITY"
#define AUTH "AUTHENTICATION"

/* Pieces most cases share. */
/* clang-format off */
#define BODY "{'type':'BODY','text':'Hello there, welcome.'}"
#define AUTH_BODY "{'type':'BODY','add_security_recommendation':true}"
#define AUTH_FOOTER "{'type':'FOOTER','code_expiration_minutes':10}"
#define OTP_COPY "{'type':'OTP','otp_type':'COPY_CODE','text':'Copy code'}"
#define AUTH_WITH(button) "[" AUTH_BODY "," AUTH_FOOTER \
	",{'type':'BUTTONS','buttons':[" button "]}]"
#define WITH_BUTTONS(list) "[" BODY ",{'type':'BUTTONS','buttons':[" list "]}]"
#define QR(t) "{'type':'QUICK_REPLY','text':'" t "'}"
#define URLB "{'type':'URL','text':'Open','url':'https://example.com/a'}"
#define PHONEB "{'type':'PHONE_NUMBER','text':'Call','phone_number':'+15550100'}"
#define COPYB "{'type':'COPY_CODE','example':'SAVE10'}"
#define APP "'package_name':'com.example.app','signature_hash':'K8a/AINcGX7'"
/* clang-format on */

static const struct tcase {
	const char *category;
	const char *format;     /* NULL: the default, POSITIONAL */
	const char *components; /* single-quoted JSON; NULL: none given */
	int subcode;            /* 0 with ok: passes; else 100 and this */
	bool ok;
	const char *needle; /* in the message or error_user_msg */
} cases[] = {
	/* ---- passing ---- */
	{ MKT, NULL, "[" BODY "]", 0, true, NULL },
	{ UTL, "POSITIONAL", "[" BODY "]", 0, true, NULL },
	{ MKT, NULL,
	    "[{'type':'HEADER','format':'TEXT','text':'Hi {{1}}',"
	    "'example':{'header_text':['Ann']}},"
	    "{'type':'BODY','text':'Dear {{1}}, order {{2}} ships; {{1}} ok.',"
	    "'example':{'body_text':[['Ann','42']]}},"
	    "{'type':'FOOTER','text':'Reply STOP to opt out'},"
	    "{'type':'BUTTONS','buttons':[" QR("Yes") "," QR(
	        "No") ","
	              "{'type':'URL','text':'Track','url':'https://x.example/t/{{1}}',"
	              "'example':['https://x.example/t/42']}," PHONEB "]}]",
	    0, true, NULL },
	{ MKT, NULL,
	    "[{'type':'HEADER','format':'IMAGE','example':"
	    "{'header_handle':['4::aW1hZ2U=']}}," BODY "]",
	    0, true, NULL },
	{ MKT, NULL,
	    "[{'type':'HEADER','format':'VIDEO','example':"
	    "{'header_handle':['h']}}," BODY "]",
	    0, true, NULL },
	{ MKT, NULL,
	    "[{'type':'HEADER','format':'DOCUMENT','example':"
	    "{'header_handle':['h']}}," BODY "]",
	    0, true, NULL },
	{ UTL, NULL, "[{'type':'HEADER','format':'LOCATION'}," BODY "]", 0,
	    true, NULL },
	{ MKT, "NAMED",
	    "[{'type':'HEADER','format':'TEXT','text':"
	    "'For {{first_name}}','example':{'header_text_named_params':"
	    "[{'param_name':'first_name','example':'Ann'}]}},"
	    "{'type':'BODY','text':'Order {{order_id}} for {{first_name}} is "
	    "ready.','example':{'body_text_named_params':[{'param_name':"
	    "'first_name','example':'Ann'},{'param_name':'order_id',"
	    "'example':'42'}]}}]",
	    0, true, NULL },
	{ MKT, NULL, WITH_BUTTONS(COPYB "," QR("a")), 0, true, NULL },
	{ MKT, NULL,
	    WITH_BUTTONS(
	        QR("1") "," QR("2") "," QR("3") "," QR("4") "," QR("5") "," QR(
	            "6") "," QR("7") "," QR("8") "," QR("9") "," QR("10")),
	    0, true, NULL },
	{ MKT, NULL, WITH_BUTTONS(URLB "," URLB "," QR("a") "," QR("b")), 0,
	    true, NULL },
	{ AUTH, NULL, AUTH_WITH(OTP_COPY), 0, true, NULL },
	{ AUTH, NULL,
	    "[" AUTH_BODY ",{'type':'BUTTONS','buttons':["
	    "{'type':'OTP','otp_type':'COPY_CODE'}]}]",
	    0, true, NULL },
	{ AUTH, NULL,
	    AUTH_WITH("{'type':'OTP','otp_type':'ONE_TAP','text':"
	              "'Copy','autofill_text':'Autofill'," APP "}"),
	    0, true, NULL },
	{ AUTH, NULL,
	    AUTH_WITH(
	        "{'type':'OTP','otp_type':'ZERO_TAP',"
	        "'zero_tap_terms_accepted':true,'supported_apps':[{" APP "},"
	        "{'package_name':'org.demo.b_2','signature_hash':'abcdefghij='}]}"),
	    0, true, NULL },
	{ AUTH, "NAMED", AUTH_WITH(OTP_COPY), 0, true, NULL },

	/* ---- the call itself ---- */
	{ NULL, NULL, "[" BODY "]", 0, false, "category is required" },
	{ "PROMO", NULL, "[" BODY "]", 0, false, "got \"PROMO\"" },
	{ MKT, "ORDERED", "[" BODY "]", 0, false, "parameter_format" },
	{ MKT, NULL, NULL, 0, false, "components is required" },
	{ MKT, NULL, "{'type':'BODY'}", 0, false,
	    "components must be an array" },

	/* ---- components ---- */
	{ MKT, NULL, "[]", 0, false, "must have one BODY" },
	{ MKT, NULL, "[{'type':'FOOTER','text':'f'}]", 0, false,
	    "must have one BODY" },
	{ MKT, NULL, "[" BODY ",1]", 0, false,
	    "components[1] must be an object" },
	{ MKT, NULL, "[{'text':'x'}]", 0, false,
	    "components[0].type is required" },
	{ MKT, NULL, "[{'type':3}]", 0, false,
	    "components[0].type must be a string" },
	{ MKT, NULL, "[" BODY ",{'type':'CAROUSEL'}]", 0, false,
	    "components[1].type must be one of" },
	{ MKT, NULL, "[{'type':'body','text':'hello'}]", 0, false,
	    "got \"body\"" },
	{ MKT, NULL, "[" BODY "," BODY "]", 0, false,
	    "components[1]: a "
	    "template has at most one BODY" },
	{ MKT, NULL,
	    "[{'type':'FOOTER','text':'a'},{'type':'FOOTER','text':"
	    "'b'}," BODY "]",
	    0, false, "at most one FOOTER" },
	{ MKT, NULL,
	    "[{'type':'HEADER','format':'LOCATION'},{'type':'HEADER',"
	    "'format':'LOCATION'}," BODY "]",
	    0, false, "at most one HEADER" },
	{ MKT, NULL,
	    "[{'type':'BUTTONS','buttons':[" QR("a") "]},{'type':"
	                                             "'BUTTONS','buttons':[" QR(
	                                                 "b") "]}," BODY "]",
	    0, false, "at most one BUTTONS" },

	/* ---- body ---- */
	{ MKT, NULL, "[{'type':'BODY','text':'hi','colour':'red'}]", 0, false,
	    "Invalid keys \"colour\" were found in param \"components[0]\"" },
	{ MKT, NULL, "[{'type':'BODY'}]", 2388043, false, "(text)" },
	{ MKT, NULL, "[{'type':'BODY','text':''}]", 2388043, false, "(text)" },
	{ MKT, NULL, "[{'type':'BODY','text':7}]", 0, false,
	    "components[0].text must be a string" },
	{ MKT, NULL, "[{'type':'BODY','text':null}]", 0, false,
	    "components[0].text must be a string" },
	{ MKT, NULL, "[{'type':'BODY','text':'Hi {{1}} there'}]", 2388043,
	    false,
	    "component of type BODY is missing expected field(s) "
	    "(example)" },
	{ MKT, NULL, "[{'type':'BODY','text':'Hi {{1}} there','example':{}}]",
	    2388043, false, "(example)" },
	{ MKT, NULL,
	    "[{'type':'BODY','text':'Hi {{1}} and {{2}} there',"
	    "'example':{'body_text':[['a']]}}]",
	    2388043, false, "1 example value(s) for 2 variable(s)" },
	{ MKT, NULL,
	    "[{'type':'BODY','text':'Hi {{1}} there','example':"
	    "{'body_text':[['a','b']]}}]",
	    2388043, false, "components[0].example.body_text[0] has 2" },
	{ MKT, NULL,
	    "[{'type':'BODY','text':'Hi {{1}} there','example':"
	    "{'body_text':[['']]}}]",
	    2388043, false, "components[0].example.body_text[0][0]" },
	{ MKT, NULL,
	    "[{'type':'BODY','text':'Hi there','example':"
	    "{'body_text':[['a']]}}]",
	    0, false, "no variables" },
	{ MKT, NULL,
	    "[{'type':'BODY','text':'Hi {{1}} there','example':"
	    "{'body_text':'a'}}]",
	    0, false, "components[0].example.body_text must be an array" },
	{ MKT, NULL,
	    "[{'type':'BODY','text':'Hi {{1}} there','example':"
	    "{'body_text':['a']}}]",
	    0, false, "components[0].example.body_text[0] must be an array" },
	{ MKT, NULL,
	    "[{'type':'BODY','text':'Hi {{1}} there','example':"
	    "{'body_text':[[5]]}}]",
	    0, false,
	    "components[0].example.body_text[0][0] must be a string" },
	{ MKT, NULL,
	    "[{'type':'BODY','text':'Hi {{1}} there','example':"
	    "['a']}]",
	    0, false, "components[0].example must be an object" },
	{ MKT, NULL,
	    "[{'type':'BODY','text':'Hi {{1}} there','example':"
	    "{'header_text':['a']}}]",
	    0, false, "Invalid keys \"header_text\"" },
	{ MKT, NULL,
	    "[{'type':'BODY','text':'Hi {{1}} then {{3}} ok',"
	    "'example':{'body_text':[['a','b']]}}]",
	    2388072, false, "uses {{3}} after {{1}}" },
	{ MKT, NULL,
	    "[{'type':'BODY','text':'Hi {{2}} then {{1}} ok',"
	    "'example':{'body_text':[['a','b']]}}]",
	    2388072, false, "uses {{2}} after {{0}}" },
	{ MKT, NULL, "[{'type':'BODY','text':'Hi {{ 1 }} there'}]", 2388072,
	    false, "malformed variable" },
	{ MKT, NULL, "[{'type':'BODY','text':'Hi {{01}} there'}]", 2388072,
	    false, "malformed variable" },
	{ MKT, NULL, "[{'type':'BODY','text':'Hi {{1} there'}]", 2388072, false,
	    "malformed variable" },
	{ MKT, NULL, "[{'type':'BODY','text':'Hi {{name}} there'}]", 2388072,
	    false, "POSITIONAL takes {{1}}" },
	{ MKT, "NAMED", "[{'type':'BODY','text':'Hi {{1}} there'}]", 2388072,
	    false, "NAMED takes {{snake_case_name}}" },
	{ MKT, "NAMED", "[{'type':'BODY','text':'Hi {{First}} there'}]",
	    2388072, false, "malformed variable" },
	{ MKT, NULL,
	    "[{'type':'BODY','text':'{{1}} is your code.','example':"
	    "{'body_text':[['a']]}}]",
	    2388299, false, "starts with a variable" },
	{ MKT, NULL,
	    "[{'type':'BODY','text':'Your code is {{1}} \\n',"
	    "'example':{'body_text':[['a']]}}]",
	    2388299, false, "ends with a variable" },
	{ MKT, "NAMED",
	    "[{'type':'BODY','text':'Hi {{a}} and {{b}} ok',"
	    "'example':{'body_text_named_params':[{'param_name':'a',"
	    "'example':'x'}]}}]",
	    2388043, false, "(example) for {{b}}" },
	{ MKT, "NAMED",
	    "[{'type':'BODY','text':'Hi {{a}} there',"
	    "'example':{'body_text_named_params':[{'param_name':'a',"
	    "'example':'x'},{'param_name':'zz','example':'y'}]}}]",
	    0, false, "param_name \"zz\" is not a variable" },
	{ MKT, "NAMED",
	    "[{'type':'BODY','text':'Hi {{a}} there',"
	    "'example':{'body_text_named_params':[{'param_name':'a',"
	    "'example':'x'},{'param_name':'a','example':'y'}]}}]",
	    0, false, "\"a\" is given twice" },
	{ MKT, "NAMED",
	    "[{'type':'BODY','text':'Hi {{a}} there',"
	    "'example':{'body_text_named_params':[{'param_name':'a'}]}}]",
	    2388043, false, "body_text_named_params[0]" },
	{ MKT, "NAMED",
	    "[{'type':'BODY','text':'Hi {{a}} there',"
	    "'example':{'body_text_named_params':[{'param_name':'a',"
	    "'example':'x','note':1}]}}]",
	    0, false, "Invalid keys \"note\"" },
	{ MKT, "NAMED",
	    "[{'type':'BODY','text':'Hi {{a}} there',"
	    "'example':{'body_text':[['x']]}}]",
	    0, false, "Invalid keys \"body_text\"" },

	/* ---- header ---- */
	{ MKT, NULL, "[{'type':'HEADER','text':'Hi'}," BODY "]", 2388043, false,
	    "(format)" },
	{ MKT, NULL, "[{'type':'HEADER','format':1}," BODY "]", 0, false,
	    "components[0].format must be a string" },
	{ MKT, NULL, "[{'type':'HEADER','format':'GIF'}," BODY "]", 2388047,
	    false, "got \"GIF\"" },
	{ MKT, NULL, "[{'type':'HEADER','format':'TEXT'}," BODY "]", 2388043,
	    false, "(text)" },
	{ MKT, NULL,
	    "[{'type':'HEADER','format':'TEXT','text':'{{1}} {{2}}',"
	    "'example':{'header_text':['a','b']}}," BODY "]",
	    2388047, false, "can have one" },
	{ MKT, NULL,
	    "[{'type':'HEADER','format':'TEXT','text':'Hi {{2}}'}," BODY "]",
	    2388047, false, "uses {{2}} after {{0}}" },
	{ MKT, NULL,
	    "[{'type':'HEADER','format':'TEXT','text':'Hi {{1}}'}," BODY "]",
	    2388043, false,
	    "HEADER is missing expected field(s) "
	    "(example)" },
	{ MKT, NULL,
	    "[{'type':'HEADER','format':'TEXT','text':'Hi {{1}}',"
	    "'example':{'header_text':'Ann'}}," BODY "]",
	    0, false, "components[0].example.header_text must be an array" },
	{ MKT, NULL,
	    "[{'type':'HEADER','format':'IMAGE','text':'x',"
	    "'example':{'header_handle':['h']}}," BODY "]",
	    2388047, false, "IMAGE headers have no text" },
	{ MKT, NULL, "[{'type':'HEADER','format':'IMAGE'}," BODY "]", 2388043,
	    false, "(example)" },
	{ MKT, NULL,
	    "[{'type':'HEADER','format':'VIDEO','example':"
	    "{'header_handle':[]}}," BODY "]",
	    2388043, false, "(example)" },
	{ MKT, NULL,
	    "[{'type':'HEADER','format':'IMAGE','example':"
	    "{'header_handle':['a','b']}}," BODY "]",
	    2388047, false, "takes one" },
	{ MKT, NULL,
	    "[{'type':'HEADER','format':'IMAGE','example':"
	    "{'header_handle':['']}}," BODY "]",
	    2388043, false, "header_handle[0]" },
	{ MKT, NULL,
	    "[{'type':'HEADER','format':'IMAGE','example':"
	    "{'header_text':['a']}}," BODY "]",
	    0, false, "Invalid keys \"header_text\"" },
	{ MKT, NULL,
	    "[{'type':'HEADER','format':'LOCATION','example':{}}," BODY "]",
	    2388047, false, "LOCATION header has no example" },
	{ MKT, NULL,
	    "[{'type':'HEADER','format':'TEXT','text':'T','size':1}," BODY "]",
	    0, false, "Invalid keys \"size\"" },

	/* ---- footer ---- */
	{ MKT, NULL, "[" BODY ",{'type':'FOOTER','text':'Bye {{1}}'}]", 2388073,
	    false, "can't have variables" },
	{ MKT, NULL, "[" BODY ",{'type':'FOOTER'}]", 2388043, false,
	    "FOOTER is missing expected field(s) (text)" },
	{ MKT, NULL, "[" BODY ",{'type':'FOOTER','code_expiration_minutes':5}]",
	    0, false, "Invalid keys \"code_expiration_minutes\"" },

	/* ---- buttons ---- */
	{ MKT, NULL, "[" BODY ",{'type':'BUTTONS'}]", 2388043, false,
	    "(buttons)" },
	{ MKT, NULL, "[" BODY ",{'type':'BUTTONS','buttons':{}}]", 0, false,
	    "components[1].buttons must be an array" },
	{ MKT, NULL, WITH_BUTTONS(""), 0, false, "at least one button" },
	{ MKT, NULL,
	    WITH_BUTTONS(
	        QR("1") "," QR("2") "," QR("3") "," QR("4") "," QR("5") "," QR(
	            "6") "," QR("7") "," QR("8") "," QR("9") "," QR("10") "," QR("11")),
	    0, false, "has 11 buttons" },
	{ MKT, NULL, WITH_BUTTONS("'x'"), 0, false,
	    "components[1].buttons[0] must be an object" },
	{ MKT, NULL, WITH_BUTTONS("{'text':'x'}"), 0, false,
	    "components[1].buttons[0].type is required" },
	{ MKT, NULL, WITH_BUTTONS("{'type':'FLOW','text':'x'}"), 0, false,
	    "components[1].buttons[0].type must be one of" },
	{ MKT, NULL, WITH_BUTTONS(OTP_COPY), 0, false,
	    "OTP buttons are for AUTHENTICATION" },
	{ MKT, NULL, WITH_BUTTONS("{'type':'QUICK_REPLY'}"), 2388043, false,
	    "BUTTONS is missing expected field(s) (text) at "
	    "components[1].buttons[0]" },
	{ MKT, NULL, WITH_BUTTONS(QR("Hi {{1}}")), 0, false,
	    "components[1].buttons[0].text can't have variables" },
	{ MKT, NULL,
	    WITH_BUTTONS("{'type':'QUICK_REPLY','text':'a',"
	                 "'payload':'p'}"),
	    0, false, "param \"components[1].buttons[0]\"" },
	{ MKT, NULL, WITH_BUTTONS(URLB "," URLB "," URLB), 0, false,
	    "components[1].buttons[2]: a template can have at most 2 URL" },
	{ MKT, NULL, WITH_BUTTONS(PHONEB "," PHONEB), 0, false,
	    "at most 1 PHONE_NUMBER" },
	{ UTL, NULL, WITH_BUTTONS(COPYB), 0, false,
	    "COPY_CODE buttons are for MARKETING templates" },
	{ MKT, NULL, WITH_BUTTONS(COPYB "," COPYB), 0, false,
	    "at most 1 COPY_CODE" },
	{ MKT, NULL, WITH_BUTTONS(QR("a") "," URLB "," QR("b")), 0, false,
	    "components[1].buttons[2]: quick reply buttons must be grouped" },
	{ MKT, NULL, WITH_BUTTONS("{'type':'URL','text':'Open'}"), 2388043,
	    false, "(url)" },
	{ MKT, NULL,
	    WITH_BUTTONS("{'type':'URL','text':'Open','url':"
	                 "'ftp://x.example'}"),
	    0, false, "components[1].buttons[0].url must be a URL" },
	{ MKT, NULL,
	    WITH_BUTTONS(
	        "{'type':'URL','text':'Open','url':"
	        "'https://x.example/{{1}}/a','example':['https://x.example/1/a']}"),
	    0, false, "components[1].buttons[0].url can have one variable" },
	{ MKT, NULL,
	    WITH_BUTTONS(
	        "{'type':'URL','text':'Open','url':"
	        "'https://x.example/{{2}}','example':['https://x.example/1']}"),
	    0, false, "{{1}}, at its end" },
	{ MKT, NULL,
	    WITH_BUTTONS("{'type':'URL','text':'Open','url':"
	                 "'https://x.example/{{1}}'}"),
	    2388043, false, "BUTTONS is missing expected field(s) (example)" },
	{ MKT, NULL,
	    WITH_BUTTONS("{'type':'URL','text':'Open','url':"
	                 "'https://x.example/{{1}}','example':['a','b']}"),
	    2388043, false, "2 example value(s) for 1 variable" },
	{ MKT, NULL,
	    WITH_BUTTONS("{'type':'URL','text':'Open','url':"
	                 "'https://x.example/','example':['a']}"),
	    0, false, "the url has no variable" },
	{ MKT, NULL, WITH_BUTTONS("{'type':'PHONE_NUMBER','text':'Call'}"),
	    2388043, false, "(phone_number)" },
	{ MKT, NULL,
	    WITH_BUTTONS("{'type':'PHONE_NUMBER','text':'Call',"
	                 "'phone_number':'call-me'}"),
	    0, false,
	    "components[1].buttons[0].phone_number must be a phone number" },
	{ MKT, NULL,
	    WITH_BUTTONS("{'type':'PHONE_NUMBER','text':'Call',"
	                 "'phone_number':'+'}"),
	    0, false, "must be a phone number" },
	{ MKT, NULL,
	    WITH_BUTTONS("{'type':'PHONE_NUMBER','text':'Call',"
	                 "'phone_number':'123456789012345678901'}"),
	    2388040, false, "phone_number has 21 characters; the limit is 20" },
	{ MKT, NULL, WITH_BUTTONS("{'type':'COPY_CODE'}"), 2388043, false,
	    "(example)" },
	{ MKT, NULL,
	    WITH_BUTTONS("{'type':'COPY_CODE','example':"
	                 "'ABCDEFGHIJKLMNOP'}"),
	    2388040, false, "the limit is 15" },
	{ MKT, NULL,
	    WITH_BUTTONS("{'type':'COPY_CODE','text':'Copy',"
	                 "'example':'A'}"),
	    0, false, "Invalid keys \"text\"" },

	/* ---- AUTHENTICATION ---- */
	{ AUTH, NULL,
	    "[{'type':'BODY','text':'Your code is {{1}}.'}," AUTH_FOOTER
	    ",{'type':'BUTTONS','buttons':[" OTP_COPY "]}]",
	    2388072, false, "Meta's fixed text" },
	{ AUTH, NULL,
	    "[{'type':'BODY','add_security_recommendation':'yes'},"
	    "{'type':'BUTTONS','buttons':[" OTP_COPY "]}]",
	    0, false, "add_security_recommendation must be a boolean" },
	{ AUTH, NULL,
	    "[{'type':'HEADER','format':'TEXT','text':'Code'}," AUTH_BODY
	    ",{'type':'BUTTONS','buttons':[" OTP_COPY "]}]",
	    0, false, "AUTHENTICATION templates have no HEADER" },
	{ AUTH, NULL,
	    "[" AUTH_BODY ",{'type':'FOOTER','text':'Expires soon'},"
	    "{'type':'BUTTONS','buttons':[" OTP_COPY "]}]",
	    2388073, false, "code_expiration_minutes instead" },
	{ AUTH, NULL,
	    "[" AUTH_BODY ",{'type':'FOOTER'},{'type':'BUTTONS',"
	    "'buttons':[" OTP_COPY "]}]",
	    2388043, false, "(code_expiration_minutes)" },
	{ AUTH, NULL,
	    "[" AUTH_BODY ",{'type':'FOOTER','code_expiration_minutes'"
	    ":0},{'type':'BUTTONS','buttons':[" OTP_COPY "]}]",
	    0, false, "between 1 and 90" },
	{ AUTH, NULL,
	    "[" AUTH_BODY ",{'type':'FOOTER','code_expiration_minutes'"
	    ":91},{'type':'BUTTONS','buttons':[" OTP_COPY "]}]",
	    0, false, "between 1 and 90" },
	{ AUTH, NULL,
	    "[" AUTH_BODY ",{'type':'FOOTER','code_expiration_minutes'"
	    ":'10'},{'type':'BUTTONS','buttons':[" OTP_COPY "]}]",
	    0, false, "code_expiration_minutes must be an integer" },
	{ AUTH, NULL, "[" AUTH_BODY "," AUTH_FOOTER "]", 0, false,
	    "needs a BUTTONS component" },
	{ AUTH, NULL, AUTH_WITH(QR("a")), 0, false,
	    "an AUTHENTICATION template has one OTP button" },
	{ AUTH, NULL, AUTH_WITH(OTP_COPY "," OTP_COPY), 0, false,
	    "exactly one OTP button" },
	{ AUTH, NULL, AUTH_WITH("{'type':'OTP'}"), 2388043, false,
	    "(otp_type)" },
	{ AUTH, NULL, AUTH_WITH("{'type':'OTP','otp_type':'SMS'}"), 0, false,
	    "otp_type must be one of" },
	{ AUTH, NULL,
	    AUTH_WITH("{'type':'OTP','otp_type':'COPY_CODE'," APP "}"), 0,
	    false, "Invalid keys \"package_name\"" },
	{ AUTH, NULL,
	    AUTH_WITH("{'type':'OTP','otp_type':'COPY_CODE','text':"
	              "'This text is far too long, really'}"),
	    2388040, false, "components[2].buttons[0].text has 33 characters" },
	{ AUTH, NULL, AUTH_WITH("{'type':'OTP','otp_type':'ONE_TAP'}"), 2388043,
	    false, "(package_name)" },
	{ AUTH, NULL,
	    AUTH_WITH(
	        "{'type':'OTP','otp_type':'ONE_TAP',"
	        "'package_name':'example','signature_hash':'K8a/AINcGX7'}"),
	    0, false, "Android package name" },
	{ AUTH, NULL,
	    AUTH_WITH(
	        "{'type':'OTP','otp_type':'ONE_TAP',"
	        "'package_name':'com.1x.app','signature_hash':'K8a/AINcGX7'}"),
	    0, false, "Android package name" },
	{ AUTH, NULL,
	    AUTH_WITH("{'type':'OTP','otp_type':'ONE_TAP',"
	              "'package_name':'com.x.app','signature_hash':'short'}"),
	    0, false, "signature_hash must be" },
	{ AUTH, NULL,
	    AUTH_WITH(
	        "{'type':'OTP','otp_type':'ONE_TAP',"
	        "'autofill_text':'An autofill text far too long'," APP "}"),
	    2388040, false, "autofill_text" },
	{ AUTH, NULL,
	    AUTH_WITH("{'type':'OTP','otp_type':'ONE_TAP'," APP ","
	              "'zero_tap_terms_accepted':true}"),
	    0, false, "Invalid keys \"zero_tap_terms_accepted\"" },
	{ AUTH, NULL, AUTH_WITH("{'type':'OTP','otp_type':'ZERO_TAP'," APP "}"),
	    2388043, false, "(zero_tap_terms_accepted)" },
	{ AUTH, NULL,
	    AUTH_WITH("{'type':'OTP','otp_type':'ZERO_TAP'," APP ","
	              "'zero_tap_terms_accepted':false}"),
	    0, false, "must be true" },
	{ AUTH, NULL,
	    AUTH_WITH("{'type':'OTP','otp_type':'ONE_TAP'," APP ","
	              "'supported_apps':[{" APP "}]}"),
	    0, false, "not both" },
	{ AUTH, NULL,
	    AUTH_WITH("{'type':'OTP','otp_type':'ONE_TAP',"
	              "'supported_apps':[]}"),
	    0, false, "1 to 5 apps" },
	{ AUTH, NULL,
	    AUTH_WITH("{'type':'OTP','otp_type':'ONE_TAP',"
	              "'supported_apps':[{" APP "},{" APP "},{" APP "},{" APP
	              "},{" APP "},{" APP "}]}"),
	    0, false, "1 to 5 apps" },
	{ AUTH, NULL,
	    AUTH_WITH("{'type':'OTP','otp_type':'ONE_TAP',"
	              "'supported_apps':[{" APP ",'store':'x'}]}"),
	    0, false, "param \"components[2].buttons[0].supported_apps[0]\"" },
	{ AUTH, NULL,
	    AUTH_WITH("{'type':'OTP','otp_type':'ONE_TAP',"
	              "'supported_apps':['com.x.app']}"),
	    0, false, "supported_apps[0] must be an object" },
};

/* Meta's error codes page: the title of each template-creation subcode. */
static const struct {
	int subcode;
	const char *title;
} titles[] = {
	{ 2388040, "Character limit exceeded" },
	{ 2388047, "Message header format is incorrect" },
	{ 2388072, "Message body format is incorrect" },
	{ 2388073, "Message footer format is incorrect" },
	{ 2388299, "Leading or trailing parameters not allowed" },
	{ 2388043, "Message template is missing expected field(s)" },
};

/* s with ' and " swapped: the table's single-quoted JSON made real. */
static json_object *
parse(const char *s)
{
	char *t = xstrdup(s), *p;
	json_object *o;

	for (p = t; *p != '\0'; p++)
		if (*p == '\'')
			*p = '"';
	o = json_tokener_parse(t);
	ck_assert_msg(o != NULL, "test JSON does not parse: %s", t);
	free(t);
	return o;
}

/* Checks the outcome of one call against the expected subcode/needle. */
static void
expect(int rc, struct gerr *err, bool ok, int subcode, const char *needle,
    const char *what)
{
	const char *detail;
	size_t i;

	if (ok) {
		ck_assert_msg(rc == 0, "%s: refused: %s / %s", what,
		    gerr_message(err), err->user_msg ? err->user_msg : "");
		ck_assert_int_eq(err->id, GE_NONE);
		return;
	}
	ck_assert_msg(rc == -1, "%s: accepted", what);
	ck_assert_int_eq(gerr_code(err), 100);
	ck_assert_msg(gerr_subcode(err) == subcode,
	    "%s: subcode %d, want %d "
	    "(%s / %s)",
	    what, gerr_subcode(err), subcode, gerr_message(err),
	    err->user_msg ? err->user_msg : "");
	if (subcode == 0) {
		ck_assert_ptr_null(err->user_title);
		detail = gerr_message(err);
		ck_assert_msg(strncmp(detail, "(#100) ", 7) == 0, "%s", detail);
	} else {
		ck_assert_str_eq(gerr_message(err), "Invalid parameter");
		ck_assert_ptr_nonnull(err->user_title);
		for (i = 0; i < sizeof(titles) / sizeof(titles[0]); i++)
			if (titles[i].subcode == subcode)
				ck_assert_str_eq(err->user_title,
				    titles[i].title);
		ck_assert_ptr_nonnull(err->user_msg);
		detail = err->user_msg;
	}
	ck_assert_msg(strstr(detail, needle) != NULL, "%s: \"%s\" lacks \"%s\"",
	    what, detail, needle);
}

START_TEST(test_table)
{
	const struct tcase *t = &cases[_i];
	json_object *comps = t->components ? parse(t->components) : NULL;
	struct gerr err = { 0 };
	char *before = comps ? xstrdup(json_object_to_json_string(comps)) :
	                       NULL;
	int rc;

	rc = template_validate(t->category, t->format, comps, &err);
	expect(rc, &err, t->ok, t->subcode, t->needle,
	    t->components ? t->components : "(none)");
	/* the components are read, never changed */
	if (comps != NULL)
		ck_assert_str_eq(json_object_to_json_string(comps), before);
	free(before);
	gerr_clear(&err);
	json_object_put(comps);
}
END_TEST

/* One component with a text of n copies of unit between prefix and
 * suffix, checked as category. */
static int
run_text(const char *type_json, const char *key, const char *unit, size_t n,
    const char *prefix, const char *suffix, struct gerr *err)
{
	json_object *comps = parse(type_json), *target;
	struct sbuf sb = SBUF_INIT;
	size_t i;
	int rc;

	sbuf_addstr(&sb, prefix);
	for (i = 0; i < n; i++)
		sbuf_addstr(&sb, unit);
	sbuf_addstr(&sb, suffix);
	/* the last component (or its first button) takes the text */
	target = json_object_array_get_idx(comps,
	    json_object_array_length(comps) - 1);
	if (json_object_object_get_ex(target, "buttons", NULL))
		target = json_object_array_get_idx(
		    json_object_object_get(target, "buttons"), 0);
	json_object_object_add(target, key, json_object_new_string(sb.buf));
	sbuf_release(&sb);
	rc = template_validate(MKT, NULL, comps, err);
	json_object_put(comps);
	return rc;
}

/* Each limit: at it passes, one over is 2388040 naming the field.  Limits
 * count characters, not bytes: "é" is two bytes and one character. */
START_TEST(test_lengths)
{
	static const struct {
		const char *comps, *key, *path;
		size_t max;
	} lim[] = {
		{ "[{'type':'BODY'}]", "text", "components[0].text", 1024 },
		{ "[" BODY ",{'type':'HEADER','format':'TEXT'}]", "text",
		    "components[1].text", 60 },
		{ "[" BODY ",{'type':'FOOTER'}]", "text", "components[1].text",
		    60 },
		{ "[" BODY ",{'type':'BUTTONS','buttons':[{'type':"
		  "'QUICK_REPLY'}]}]",
		    "text", "components[1].buttons[0].text", 25 },
		{ "[" BODY ",{'type':'BUTTONS','buttons':[{'type':'URL',"
		  "'text':'Go'}]}]",
		    "url", "components[1].buttons[0].url", 2000 },
	};
	static const char *const units[] = { "a", "\xc3\xa9" };
	size_t i, u;

	for (i = 0; i < sizeof(lim) / sizeof(lim[0]); i++) {
		for (u = 0; u < 2; u++) {
			struct gerr err = { 0 };
			const char *pre = strcmp(lim[i].key, "url") == 0 ?
			    "https://" :
			    "";
			size_t fill = lim[i].max - strlen(pre);
			int rc;

			rc = run_text(lim[i].comps, lim[i].key, units[u], fill,
			    pre, "", &err);
			expect(rc, &err, true, 0, NULL, lim[i].path);
			rc = run_text(lim[i].comps, lim[i].key, units[u],
			    fill + 1, pre, "", &err);
			expect(rc, &err, false, 2388040, lim[i].path,
			    lim[i].path);
			gerr_clear(&err);
		}
	}
}
END_TEST

/* Text that isn't valid UTF-8, or hides a NUL byte, is refused by path. */
START_TEST(test_bad_bytes)
{
	static const char *const bad[] = { "Hi \xff there", "Hi \xc3 there" };
	size_t i;

	for (i = 0; i < 3; i++) {
		json_object *comps = json_object_new_array();
		json_object *body = json_object_new_object();
		struct gerr err = { 0 };

		json_object_object_add(body, "type",
		    json_object_new_string("BODY"));
		json_object_object_add(body, "text",
		    i < 2 ? json_object_new_string(bad[i]) :
		            json_object_new_string_len("Hi\0there", 8));
		json_object_array_add(comps, body);
		expect(template_validate(UTL, NULL, comps, &err), &err, false,
		    0, "components[0].text must be valid UTF-8", "bytes");
		gerr_clear(&err);
		json_object_put(comps);
	}
}
END_TEST

/* The envelope a client sees: Meta's message, subcode and user texts. */
START_TEST(test_envelope)
{
	json_object *comps = parse("[{'type':'BODY','text':'Hi {{1}} there'}]");
	struct gerr err = { 0 };
	json_object *o, *e;

	ck_assert_int_eq(template_validate(MKT, NULL, comps, &err), -1);
	o = gerr_json(&err, "trace");
	e = json_object_object_get(o, "error");
	ck_assert_str_eq(
	    json_object_get_string(json_object_object_get(e, "message")),
	    "Invalid parameter");
	ck_assert_str_eq(
	    json_object_get_string(json_object_object_get(e, "type")),
	    "OAuthException");
	ck_assert_int_eq(json_object_get_int(json_object_object_get(e, "code")),
	    100);
	ck_assert_int_eq(
	    json_object_get_int(json_object_object_get(e, "error_subcode")),
	    2388043);
	ck_assert_ptr_nonnull(strstr(
	    json_object_get_string(json_object_object_get(e, "error_user_msg")),
	    "(example)"));
	ck_assert_int_eq(gerr_status(&err, PROFILE_DEFAULT), 400);
	json_object_put(o);
	gerr_clear(&err);
	json_object_put(comps);
}
END_TEST

static Suite *
template_validate_suite(void)
{
	Suite *s = suite_create("template_validate");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_table, 0,
	    (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, test_lengths);
	tcase_add_test(tc, test_bad_bytes);
	tcase_add_test(tc, test_envelope);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return suite_run(template_validate_suite());
}
