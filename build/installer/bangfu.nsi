; 帮扶通 Bangfu — Windows installer (NSIS 3, Unicode). Compiled by build/windows.py (natively with Debian's
; makensis on Linux, or NSIS on the Windows runner):
;   makensis -DVERSION=0.1.0 -DBUNDLE_DIR=dist\windows\bangfu -DOUT_FILE=dist\bangfu-setup-0.1.0.exe -DICON=resources\icons\bangfu.ico -DRUNNING_MUTEX=Local\Bangfu.Running build\installer\bangfu.nsi
; Per-user install without admin rights into %LOCALAPPDATA%\Programs\Bangfu. The program keeps its data in
; %LOCALAPPDATA%\Bangfu (app/paths.py), never in the install folder, so uninstalling leaves the data alone.
; Silent: setup.exe /S   (uninstall: "%LOCALAPPDATA%\Programs\Bangfu\uninstall.exe" /S); exit code 2 while
; Bangfu runs (setup and uninstall both refuse; see RefuseWhileRunning).
; This file is UTF-8 with a BOM: makensis needs the BOM to read the Chinese text.

Unicode true
!ifndef VERSION
  !error "pass -DVERSION=x.y.z (app.__version__)"
!endif
!ifndef BUNDLE_DIR
  !error "pass -DBUNDLE_DIR=the onedir bundle (PyInstaller's dist folder)"
!endif
!ifndef ICON
  !error "pass -DICON=resources\icons\bangfu.ico"
!endif
!ifndef OUT_FILE
  !error "pass -DOUT_FILE=the installer to write"
!endif
!ifndef RUNNING_MUTEX
  !error "pass -DRUNNING_MUTEX=app.running_mark.RUNNING_MUTEX (the mutex a running Bangfu holds)"
!endif
!if /FileExists "${BUNDLE_DIR}\bangfu.exe"
!else
  !error "the bundle is missing: ${BUNDLE_DIR}\bangfu.exe"
!endif

; A 64-bit installer where the compiler has the amd64 stubs (Debian's makensis does); the 32-bit stub otherwise
; (the official Windows NSIS build), which installs the same 64-bit program.
!if /FileExists "${NSISDIR}\Stubs\lzma_solid-amd64-unicode"
  Target amd64-unicode
!endif

!define APP_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Bangfu"
!define SHORTCUT "$SMPROGRAMS\帮扶通 Bangfu.lnk"

Name "帮扶通 Bangfu"
OutFile "${OUT_FILE}"
InstallDir "$LOCALAPPDATA\Programs\Bangfu"
InstallDirRegKey HKCU "${APP_KEY}" "InstallLocation"
RequestExecutionLevel user
SetCompressor /SOLID lzma
; bangfu.exe and bangfu-cli.exe each carry the same compiled modules: a 64 MB window finds the second copy.
SetCompressorDictSize 64
ManifestDPIAware true
Icon "${ICON}"
UninstallIcon "${ICON}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=0 "ProductName" "帮扶通 Bangfu"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileDescription" "帮扶通 Bangfu 安装程序 / installer"
VIAddVersionKey /LANG=0 "CompanyName" "丽水市帮扶通项目组"
VIAddVersionKey /LANG=0 "LegalCopyright" "丽水市帮扶通项目组"

!ifdef SIGN
  ; NSIS 3.08+: sign the uninstaller as it is written into the installer.
  !uninstfinalize '${SIGN} "%1"'
!endif

!include "MUI2.nsh"
!include "x64.nsh"
!include "WinVer.nsh"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_FINISHPAGE_RUN "$INSTDIR\bangfu.exe"
!define MUI_UNCONFIRMPAGE_TEXT_TOP "$(KeptData)"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
; Chinese first: the first language is the default when Windows' UI language is neither.
!insertmacro MUI_LANGUAGE "SimpChinese"
!insertmacro MUI_LANGUAGE "English"

LangString KeptData ${LANG_SIMPCHINESE} "将卸载帮扶通程序。您的台账数据、备份和设置保存在用户数据文件夹（AppData\Local\Bangfu），卸载后仍会保留。"
LangString KeptData ${LANG_ENGLISH} "Bangfu will be removed. Your ledger, backups and settings are in your user data folder (AppData\Local\Bangfu) and are kept."
LangString NeedsWindows10 ${LANG_SIMPCHINESE} "帮扶通需要 64 位 Windows 10（1809 版）或更高版本。"
LangString NeedsWindows10 ${LANG_ENGLISH} "Bangfu needs 64-bit Windows 10 (version 1809) or later."

LangString StillRunning ${LANG_SIMPCHINESE} "帮扶通正在运行。请先保存并关闭帮扶通（包括命令行窗口中的 bangfu-cli），再点“重试”。"
LangString StillRunning ${LANG_ENGLISH} "Bangfu is running. Save your work and close Bangfu (bangfu-cli in a console window too), then click Retry."

; Files of a running program cannot be replaced or removed. The program holds the named mutex RUNNING_MUTEX
; while it runs (app/running_mark.py); ask the user to close it. Silent mode cannot ask: exit code 2, nothing
; changed, so a deployment script sees it.
!macro REFUSE_WHILE_RUNNING prefix
Function ${prefix}RefuseWhileRunning
  retry:
    System::Call 'kernel32::OpenMutexW(i 0x00100000, i 0, w "${RUNNING_MUTEX}") p .r0'
    StrCmp $0 0 closed
    System::Call 'kernel32::CloseHandle(p r0)'
    IfSilent 0 ask
    SetErrorLevel 2
    Quit
  ask:
    MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "$(StillRunning)" IDRETRY retry
    Quit
  closed:
FunctionEnd
!macroend
!insertmacro REFUSE_WHILE_RUNNING ""
!insertmacro REFUSE_WHILE_RUNNING "un."

Function .onInit
  ; Windows 10 1809 (build 17763) and later, 64-bit.
  ${IfNot} ${RunningX64}
  ${OrIfNot} ${AtLeastWin10}
  ${OrIfNot} ${AtLeastBuild} 17763
    MessageBox MB_ICONSTOP "$(NeedsWindows10)" /SD IDOK
    Abort
  ${EndIf}
  SetShellVarContext current
  Call RefuseWhileRunning
FunctionEnd

Function un.onInit
  SetShellVarContext current
  Call un.RefuseWhileRunning
FunctionEnd

Section "Bangfu"
  ; An upgrade first removes the previous version's libraries, so no stale file of an old release stays behind
  ; (PyInstaller's _internal changes file names between versions of Python, Qt and numpy).
  RMDir /r "$INSTDIR\_internal"
  SetOutPath "$INSTDIR"
  File /r "${BUNDLE_DIR}\*"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateShortcut "${SHORTCUT}" "$INSTDIR\bangfu.exe" "" "$INSTDIR\bangfu.exe" 0 SW_SHOWNORMAL "" "结对帮扶台账 / Paired-assistance ledger"
  WriteRegStr HKCU "${APP_KEY}" "DisplayName" "帮扶通 Bangfu"
  WriteRegStr HKCU "${APP_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${APP_KEY}" "Publisher" "丽水市帮扶通项目组"
  WriteRegStr HKCU "${APP_KEY}" "DisplayIcon" "$INSTDIR\bangfu.exe"
  WriteRegStr HKCU "${APP_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${APP_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${APP_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${APP_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${APP_KEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
  ; Only the install folder. The user's data (%LOCALAPPDATA%\Bangfu: ledger, backups, settings) is kept on purpose.
  Delete "${SHORTCUT}"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\bangfu.exe"
  Delete "$INSTDIR\bangfu-cli.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${APP_KEY}"
SectionEnd
